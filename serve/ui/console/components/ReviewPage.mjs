// The review queue (审核): articles submitted for publishing, oldest first. A reviewer
// opens one to read it, or approves it (publishes) / rejects it with a comment here.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/knowledge.mjs';
import { ArticleTable } from './KnowledgePage.mjs';
import { attempt, useLoad } from './useLoad.mjs';

function Reject({ article, reload, onClose }) {
  const [comment, setComment] = useState('');
  const send = (event) => {
    event.preventDefault();
    attempt(() => api.transition(article.id, 'reject', comment.trim()), { reload, done: t('console.kb.done.reject') })
      .then((ok) => ok && onClose());
  };
  return html`
    <form class="inline-form" onSubmit=${send} aria-label=${t('console.kb.rejectTitle', { title: article.title })}>
      <label class="grow">${t('console.kb.rejectTitle', { title: article.title })}<input name="comment" required maxlength="500"
             value=${comment} onInput=${(e) => setComment(e.target.value)} /></label>
      <button class="danger" type="submit">${t('console.kb.action.reject')}</button>
      <button type="button" onClick=${onClose}>${t('console.cancel')}</button>
    </form>`;
}

export function ReviewPage() {
  const [queue, reload] = useLoad(api.reviewQueue);
  const [categories] = useLoad(api.categories);
  const [rejecting, setRejecting] = useState(null);
  if (!queue || !categories) return html`<p class="empty">${t('console.loading')}</p>`;
  const actions = (a) => html`
    <button class="small primary" data-action="approve" onClick=${() => attempt(() => api.transition(a.id, 'approve'),
      { reload, done: t('console.kb.done.approve') })}>${t('console.kb.action.approve')}</button>
    <button class="small danger" data-action="reject" onClick=${() => setRejecting(a)}>${t('console.kb.action.reject')}</button>`;
  return html`
    <section aria-labelledby="review-title">
      <div class="page-head"><h2 id="review-title">${t('console.nav.review')}</h2></div>
      ${rejecting && html`<${Reject} article=${rejecting} reload=${reload} onClose=${() => setRejecting(null)} />`}
      ${queue.length === 0 ? html`<p class="empty">${t('console.kb.reviewEmpty')}</p>`
        : html`<${ArticleTable} articles=${queue} categories=${categories} actions=${actions} />`}
    </section>`;
}
