// One published article: its title, category and the body the server sanitized.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { formatTime, t } from 'kefu/i18n.mjs';
import { ServerHtml } from 'kefu/ServerHtml.mjs';
import * as api from '../api/help.mjs';
import { categoryName } from './names.mjs';

export function ArticleView({ id, categories }) {
  const [article, setArticle] = useState(null);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    setArticle(null); setMissing(false);
    api.article(id).then(setArticle).catch(() => setMissing(true));
  }, [id]);
  if (missing) return html`<p class="empty" role="alert">${t('help.notFound')}</p>`;
  if (!article) return html`<p class="empty">${t('help.loading')}</p>`;
  const category = categories.find((c) => c.id === article.category_id);
  return html`
    <article class="help-article" aria-labelledby="article-title">
      <p><a href="#">${t('help.back')}</a></p>
      <h2 id="article-title">${article.title}</h2>
      <p class="soft small">${categoryName(category)}${article.updated_at ? ` · ${formatTime(article.updated_at)}` : ''}</p>
      <${ServerHtml} class="article-body" markup=${article.body_html} />
    </article>`;
}
