// Left messages (留言记录): the pool of messages left out of hours or when the line
// overflowed. A supervisor hands one to an agent, anyone in scope replies (into the
// visitor's widget, or by email to the contact they left) and closes it.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/left_messages.mjs';
import { agents } from '../api/admin.mjs';
import { go, route } from '../state/route.mjs';
import { me } from '../state/session.mjs';
import { attempt, useLoad } from './useLoad.mjs';

const STATES = ['', 'new', 'in_progress', 'replied', 'closed'];
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

function Detail({ id, staff, onChanged }) {
  const [item, reload] = useLoad(() => api.get(id), [id]);
  const [form, setForm] = useState({ body: '', via: 'widget', subject: t('console.left.defaultSubject') });
  if (!item) return html`<p class="empty">${t('console.loading')}</p>`;
  const changed = () => { reload(); onChanged(); };
  const open = item.state !== 'closed';
  async function send(event) {
    event.preventDefault();
    const body = { ...form, client_msg_id: crypto.randomUUID() };
    if (await attempt(() => api.reply(id, body), { done: t('console.left.sent') })) {
      setForm({ ...form, body: '' });
      changed();
    }
  }
  return html`
    <section class="left-detail" aria-label=${t('console.left.detail')}>
      <dl class="facts">
        <div><dt>${t('console.left.visitor')}</dt><dd>${item.name || item.visitor_name || item.visitor_id}</dd></div>
        <div><dt>${t('console.left.contact')}</dt><dd>${item.contact || '—'}</dd></div>
        <div><dt>${t('console.left.state')}</dt><dd>${t(`console.left.states.${item.state}`)}</dd></div>
        <div><dt>${t('console.left.assignee')}</dt><dd>${item.assignee_name || '—'}</dd></div>
      </dl>
      <ol class="transcript">${item.messages.map((m) => html`
        <li key=${m.seq} class=${m.sender.kind}><span class="who">${m.sender.kind === 'agent'
          ? (m.sender.display_name || t('console.left.agent')) : t('console.left.visitor')}</span>
          <span class="text">${m.body}</span><time>${when(m.ts)}</time></li>`)}</ol>
      ${open && staff && html`
        <label class="inline">${t('console.left.assignTo')}
          <select aria-label=${t('console.left.assignTo')} value=${item.assignee_id || ''}
                  onChange=${(e) => e.target.value && attempt(() => api.assign(id, e.target.value),
                    { done: t('console.saved') }).then((ok) => ok && changed())}>
            <option value="">—</option>
            ${staff.map((a) => html`<option value=${a.agent_id}>${a.display_name}</option>`)}
          </select></label>`}
      ${open && html`
        <form class="reply-form" onSubmit=${send} aria-label=${t('console.left.reply')}>
          <label>${t('console.left.via')}
            <select value=${form.via} onChange=${(e) => setForm({ ...form, via: e.target.value })}>
              <option value="widget">${t('console.left.viaWidget')}</option>
              <option value="email">${t('console.left.viaEmail')}</option>
            </select></label>
          ${form.via === 'email' && html`<label>${t('console.left.subject')}
            <input maxlength="200" value=${form.subject} onInput=${(e) => setForm({ ...form, subject: e.target.value })} /></label>`}
          <label class="grow">${t('console.left.reply')}
            <textarea required maxlength="5000" rows="3" value=${form.body}
                      onInput=${(e) => setForm({ ...form, body: e.target.value })}></textarea></label>
          <button class="primary" type="submit">${t('console.left.send')}</button>
          <button type="button" onClick=${() => attempt(() => api.close(id), { done: t('console.left.closed') })
            .then((ok) => ok && changed())}>${t('console.left.close')}</button>
        </form>`}
    </section>`;
}

function MailServer() {
  const [server, reload] = useLoad(api.emailServer);
  const [form, setForm] = useState(null);
  if (!server) return null;
  const values = form || { host: server.host || '', port: server.port || 587, security: server.security || 'starttls',
    from_address: server.from_address || '', from_name: server.from_name || '', username: server.username || '', password: '' };
  const set = (key) => (e) => setForm({ ...values, [key]: key === 'port' ? Number(e.target.value) : e.target.value });
  async function save(event) {
    event.preventDefault();
    const body = { ...values, password: values.password || null };
    if (await attempt(() => api.saveEmailServer(body), { done: t('console.saved') })) { setForm(null); reload(); }
  }
  return html`
    <details class="mail-server"><summary>${t('console.left.mailServer')}${server.configured ? '' : ` (${t('console.left.notSet')})`}</summary>
      <form class="inline-form" onSubmit=${save} aria-label=${t('console.left.mailServer')}>
        <label>${t('console.left.host')}<input required value=${values.host} onInput=${set('host')} /></label>
        <label>${t('console.left.port')}<input type="number" min="1" max="65535" value=${values.port} onInput=${set('port')} /></label>
        <label>${t('console.left.security')}<select value=${values.security} onChange=${set('security')}>
          ${['starttls', 'tls', 'none'].map((s) => html`<option value=${s}>${s}</option>`)}</select></label>
        <label>${t('console.left.from')}<input required type="email" value=${values.from_address} onInput=${set('from_address')} /></label>
        <label>${t('console.left.fromName')}<input value=${values.from_name} onInput=${set('from_name')} /></label>
        <label>${t('console.left.username')}<input autocomplete="off" value=${values.username} onInput=${set('username')} /></label>
        <label>${t('console.left.password')}<input type="password" autocomplete="new-password" value=${values.password}
               placeholder=${server.password_set ? t('console.left.passwordKept') : ''} onInput=${set('password')} /></label>
        <button class="primary" type="submit">${t('console.save')}</button>
      </form></details>`;
}

export function LeftMessagesPage() {
  const [state, setState] = useState('');
  const [page, reload] = useLoad(() => api.list({ state }), [state]);
  const isAdmin = me.value?.role === 'admin';
  const [staff] = useLoad(async () => (await agents()).filter((a) => !a.disabled), []);
  const selected = route.value.arg;
  return html`
    <section aria-labelledby="left-title">
      <div class="page-head"><h2 id="left-title">${t('console.nav.left-messages')}</h2>
        <label class="inline">${t('console.left.state')}
          <select value=${state} onChange=${(e) => setState(e.target.value)}>
            ${STATES.map((s) => html`<option value=${s}>${s ? t(`console.left.states.${s}`) : t('console.left.all')}</option>`)}
          </select></label></div>
      ${isAdmin && html`<${MailServer} />`}
      ${!page ? html`<p class="empty">${t('console.loading')}</p>` : page.items.length === 0
        ? html`<p class="empty">${t('console.left.none')}</p>` : html`
        <table class="grid">
          <thead><tr><th>${t('console.left.submitted')}</th><th>${t('console.left.visitor')}</th>
            <th>${t('console.left.contact')}</th><th>${t('console.left.group')}</th><th>${t('console.left.message')}</th>
            <th>${t('console.left.state')}</th><th>${t('console.left.assignee')}</th></tr></thead>
          <tbody>${page.items.map((m) => html`
            <tr data-left=${m.conversation_id} class=${selected === m.conversation_id ? 'selected' : ''}
                onClick=${() => go('left-messages', m.conversation_id)}>
              <td>${when(m.submitted_at)}</td><td>${m.name || m.visitor_name || '—'}</td><td>${m.contact || '—'}</td>
              <td>${m.skill_group || '—'}</td><td class="text">${m.preview}</td>
              <td>${t(`console.left.states.${m.state}`)}</td><td>${m.assignee_name || '—'}</td></tr>`)}
          </tbody>
        </table>`}
      ${selected && html`<${Detail} id=${selected} staff=${staff} onChanged=${reload} />`}
    </section>`;
}
