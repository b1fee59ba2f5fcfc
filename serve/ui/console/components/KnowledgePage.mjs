// The knowledge base (知识库): the categories on the left; the articles of the chosen
// one with a status filter, or the opened article's editor (#/knowledge/<id>, or
// #/knowledge/new).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { formatTime, t } from 'kefu/i18n.mjs';
import * as api from '../api/knowledge.mjs';
import { go } from '../state/route.mjs';
import { ArticleEditor } from './ArticleEditor.mjs';
import { CategoryPanel } from './CategoryPanel.mjs';
import { categoryName } from './categoryTree.mjs';
import { useLoad } from './useLoad.mjs';

export const STATUSES = ['draft', 'in_review', 'published', 'archived'];

export function ArticleTable({ articles, categories, actions }) {
  const byId = Object.fromEntries(categories.map((c) => [c.id, c]));
  if (articles.length === 0) return html`<p class="empty">${t('console.kb.noArticles')}</p>`;
  return html`
    <table class="grid">
      <thead><tr><th>${t('console.kb.title')}</th><th>${t('console.kb.category')}</th><th>${t('console.kb.status')}</th>
        <th>${t('console.kb.visibility')}</th><th class="number">${t('console.kb.version')}</th><th>${t('console.kb.updated')}</th><th></th></tr></thead>
      <tbody>${articles.map((a) => html`
        <tr data-article=${a.id}>
          <td><a href=${`#/knowledge/${encodeURIComponent(a.id)}`}>${a.title}</a></td>
          <td>${categoryName(byId[a.category_id]) || '—'}</td>
          <td><span class=${`tag status-${a.status}`}>${t(`console.kb.status.${a.status}`)}</span></td>
          <td>${t(`console.kb.visibility.${a.visibility}`)}</td>
          <td class="number">${a.version}</td>
          <td>${formatTime(a.updated_at)}</td>
          <td class="actions">${actions ? actions(a) : ''}</td>
        </tr>`)}
      </tbody>
    </table>`;
}

function ArticleList({ categories, categoryId }) {
  const [status, setStatus] = useState('');
  const [articles] = useLoad(() => api.articles({ status, categoryId }), [status, categoryId]);
  return html`
    <section aria-labelledby="kb-title">
      <div class="page-head"><h2 id="kb-title">${t('console.nav.knowledge')}</h2>
        <label class="filter">${t('console.kb.status')}
          <select name="status" value=${status} onChange=${(e) => setStatus(e.target.value)}>
            <option value="">${t('console.kb.anyStatus')}</option>
            ${STATUSES.map((s) => html`<option value=${s}>${t(`console.kb.status.${s}`)}</option>`)}
          </select></label>
        <span class="spacer"></span>
        <button class="primary" onClick=${() => go('knowledge', 'new')}>${t('console.kb.newArticle')}</button></div>
      ${articles ? html`<${ArticleTable} articles=${articles} categories=${categories} />`
        : html`<p class="empty">${t('console.loading')}</p>`}
    </section>`;
}

export function KnowledgePage({ arg }) {
  const [categories, reloadCategories] = useLoad(api.categories);
  const [chosen, setChosen] = useState(null);
  if (!categories) return html`<p class="empty">${t('console.loading')}</p>`;
  return html`
    <div class="kb-page">
      <${CategoryPanel} categories=${categories} chosen=${chosen} reload=${reloadCategories}
        onChoose=${(id) => { setChosen(id); if (arg) go('knowledge'); }} />
      <div class="kb-main">
        ${arg ? html`<${ArticleEditor} key=${arg} articleId=${arg === 'new' ? null : arg} categories=${categories}
                        defaultCategory=${chosen} onSaved=${reloadCategories} />`
          : html`<${ArticleList} categories=${categories} categoryId=${chosen} />`}
      </div>
    </div>`;
}
