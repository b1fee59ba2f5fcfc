// The articles of a category or a search's results: titles linking to the article,
// a search result with its snippet (escaped text with <mark>, from the server).
import { html } from 'htm/preact';
import { formatTime, t } from 'kefu/i18n.mjs';
import { ServerHtml } from 'kefu/ServerHtml.mjs';
import { categoryName } from './names.mjs';

export function Results({ list, categories }) {
  if (list === null) return html`<p class="empty">${t('help.loading')}</p>`;
  if (list.length === 0) return html`<p class="empty">${t('help.none')}</p>`;
  const byId = Object.fromEntries(categories.map((c) => [c.id, c]));
  return html`
    <ul class="help-list">${list.map((a) => {
      const id = a.article_id || a.id;
      return html`
        <li data-article=${id}>
          <a class="help-title" href=${`#/a/${encodeURIComponent(id)}`}>${a.title}</a>
          <div class="soft small">${categoryName(byId[a.category_id])}${a.updated_at ? ` · ${formatTime(a.updated_at)}` : ''}</div>
          ${a.snippet_html && html`<${ServerHtml} tag="p" class="snippet" markup=${a.snippet_html} />`}
        </li>`;
    })}</ul>`;
}
