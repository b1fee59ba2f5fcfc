// The Knowledge side tab: "Suggested" answers for the open conversation's last visitor
// message (searched again whenever a new one arrives), and a search box. "Insert" puts
// the article's text into that conversation's reply composer.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import { ServerHtml } from 'kefu/ServerHtml.mjs';
import * as api from '../api/knowledge.mjs';
import { errorText } from '../errors.mjs';
import { active } from '../state/conversations.mjs';
import { insertArticle } from '../state/knowledge.mjs';
import { tell } from '../state/session.mjs';

const SUGGESTION_QUERY_MAX = 200;

function lastVisitorMessage(c) {
  for (let i = (c?.messages || []).length - 1; i >= 0; i -= 1) {
    const m = c.messages[i];
    if (m.sender?.kind === 'visitor' && m.body?.trim()) return m;
  }
  return null;
}

function Hits({ hits, label, c }) {
  if (hits === null) return html`<p class="soft small">${t('desk.kb.searching')}</p>`;
  if (hits.length === 0) return html`<p class="soft small">${t('desk.kb.none')}</p>`;
  const canInsert = c && c.state === 'open';
  return html`
    <ul class="kb-hits" aria-label=${label}>${hits.map((hit) => html`
      <li key=${hit.article_id} data-article=${hit.article_id}>
        <div class="kb-hit-head"><strong>${hit.title}</strong>
          ${hit.visibility === 'internal' && html`<span class="tag">${t('desk.kb.internal')}</span>`}
          <span class="soft small" title=${t('desk.kb.confidence')}>${Math.round((hit.confidence || 0) * 100)}%</span></div>
        <${ServerHtml} tag="p" class="snippet" markup=${hit.snippet_html} />
        <button class="small" disabled=${!canInsert} title=${canInsert ? undefined : t('desk.kb.noOpenChat')}
                onClick=${() => insertArticle(c.id, hit)}>${t('desk.kb.insert')}</button>
      </li>`)}
    </ul>`;
}

function useSearch(text) {
  const [hits, setHits] = useState([]);
  useEffect(() => {
    if (!text) { setHits([]); return undefined; }
    let current = true;
    setHits(null);
    api.search(text).then((found) => { if (current) setHits(found); })
      .catch((error) => { if (current) { setHits([]); tell('error', errorText(error.code, error.message)); } });
    return () => { current = false; };
  }, [text]);
  return hits;
}

export function KnowledgePanel() {
  const c = active.value;
  const [typed, setTyped] = useState('');
  const [asked, setAsked] = useState('');
  const last = lastVisitorMessage(c);
  const suggested = useSearch(last ? last.body.slice(0, SUGGESTION_QUERY_MAX) : '');
  const found = useSearch(asked);
  return html`
    <div class="kb-panel">
      <form class="kb-search" role="search" onSubmit=${(e) => { e.preventDefault(); setAsked(typed.trim()); }}>
        <input type="search" value=${typed} maxlength="200" aria-label=${t('desk.kb.search')}
               placeholder=${t('desk.kb.searchPlaceholder')} onInput=${(e) => setTyped(e.target.value)} />
        <button class="primary small" type="submit">${t('desk.kb.searchButton')}</button>
      </form>
      ${asked && html`<section class="kb-section" aria-labelledby="kb-found">
        <h3 id="kb-found">${t('desk.kb.results')}</h3><${Hits} hits=${found} label=${t('desk.kb.results')} c=${c} /></section>`}
      <section class="kb-section kb-suggested" aria-labelledby="kb-suggested">
        <h3 id="kb-suggested">${t('desk.kb.suggested')}</h3>
        ${last ? html`<p class="soft small kb-question">${t('desk.kb.forQuestion', { text: last.body.slice(0, 80) })}</p>
          <${Hits} hits=${suggested} label=${t('desk.kb.suggested')} c=${c} />`
          : html`<p class="soft small">${t('desk.kb.noQuestion')}</p>`}
      </section>
    </div>`;
}
