// The center's public canned replies (常用语), by category: every agent finds them with
// `/` in the desk. Supervisors and admins write them; agents keep their own in the desk.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/admin.mjs';
import { attempt, useLoad } from './useLoad.mjs';

const publicOnly = async () => (await api.cannedReplies()).filter((r) => r.scope === 'public');

function ReplyForm({ reply, onDone }) {
  const [form, setForm] = useState({ category: reply.category || '', title: reply.title || '', body: reply.body || '' });
  const set = (key) => (event) => setForm({ ...form, [key]: event.target.value });
  async function save(event) {
    event.preventDefault();
    const saved = await attempt(() => (reply.id ? api.changeCannedReply(reply.id, form)
      : api.createCannedReply({ ...form, scope: 'public' })), { done: t('console.saved') });
    if (saved) onDone();
  }
  return html`
    <form class="inline-form" onSubmit=${save} aria-label=${t('console.canned.form')}>
      <label>${t('console.canned.category')}<input name="category" maxlength="64" value=${form.category} onInput=${set('category')} /></label>
      <label>${t('console.canned.titleField')}<input name="title" maxlength="100" value=${form.title} onInput=${set('title')} /></label>
      <label class="grow">${t('console.canned.body')}<textarea name="body" required maxlength="5000" rows="2"
             value=${form.body} onInput=${set('body')}></textarea></label>
      <button class="primary" type="submit">${t('console.save')}</button>
      <button type="button" onClick=${onDone}>${t('console.cancel')}</button>
    </form>`;
}

export function CannedRepliesPage() {
  const [replies, reload] = useLoad(publicOnly);
  const [editing, setEditing] = useState(null);
  if (!replies) return html`<p class="empty">${t('console.loading')}</p>`;
  const done = () => { setEditing(null); reload(); };
  return html`
    <section aria-labelledby="canned-title">
      <div class="page-head"><h2 id="canned-title">${t('console.nav.canned')}</h2>
        <button class="primary" onClick=${() => setEditing({})}>${t('console.canned.new')}</button></div>
      ${editing && html`<${ReplyForm} reply=${editing} onDone=${done} />`}
      ${replies.length === 0 ? html`<p class="empty">${t('console.canned.none')}</p>` : html`
        <table class="grid">
          <thead><tr><th>${t('console.canned.category')}</th><th>${t('console.canned.titleField')}</th>
            <th>${t('console.canned.body')}</th><th></th></tr></thead>
          <tbody>${replies.map((r) => html`
            <tr data-reply=${r.id}><td>${r.category || '—'}</td><td>${r.title || '—'}</td><td class="text">${r.body}</td>
              <td class="actions"><button class="small" onClick=${() => setEditing(r)}>${t('console.edit')}</button>
                <button class="small danger" onClick=${() => attempt(() => api.removeCannedReply(r.id),
                  { reload, done: t('console.canned.removed') })}>${t('console.routing.remove')}</button></td></tr>`)}
          </tbody>
        </table>`}
    </section>`;
}
