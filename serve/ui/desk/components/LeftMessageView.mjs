// One left message (留言) in the middle columns: what the visitor wrote, the name and
// contact they left, the replies so far; Take (an unassigned one of my groups), a reply
// into the visitor's widget (shown on their next visit) or by email (when the center
// has a mail server and the contact is an address), Close.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { formatTime, t } from 'kefu/i18n.mjs';
import { RichText } from 'kefu/RichText.mjs';
import { errorText } from '../errors.mjs';
import { promote } from '../state/knowledge.mjs';
import { busy, close, closeView, reply, take } from '../state/left_messages.mjs';
import { me, tell } from '../state/session.mjs';
import { leftVisitorName } from './LeftMessagesPanel.mjs';

const MAX_BODY = 5000;

function Field({ label, value }) {
  if (!value) return null;
  return html`<div class="field"><dt>${label}</dt><dd>${value}</dd></div>`;
}

async function attempt(work, done) {
  try {
    await work();
    if (done) tell('info', done);
    return true;
  } catch (error) {
    tell('error', errorText(error.code, error.message));
    return false;
  }
}

function History({ item }) {
  const name = leftVisitorName(item);
  return html`
    <ol class="left-history" aria-label=${t('desk.left.history')}>
      ${item.messages.map((m) => {
        const agent = m.sender.kind === 'agent';
        const who = agent ? (m.sender.id === me.value?.agent_id ? t('desk.you') : m.sender.display_name
          || t('desk.agent.unknown')) : name;
        return html`
          <li key=${m.seq} class=${`message ${agent ? 'agent' : 'visitor'}`} data-seq=${m.seq}>
            <div class="meta"><span class="who">${who}</span><time>${formatTime(m.ts)}</time></div>
            <div class="body"><${RichText} text=${m.body} /></div>
          </li>`;
      })}
    </ol>`;
}

function ReplyForm({ item }) {
  const [draft, setDraft] = useState({ body: '', via: 'widget', subject: t('desk.left.defaultSubject') });
  const set = (key) => (event) => setDraft({ ...draft, [key]: event.currentTarget.value });
  async function send(event) {
    event.preventDefault();
    const body = draft.body.trim();
    if (!body) return;
    const sent = await attempt(() => reply(item.conversation_id, { ...draft, body: body.slice(0, MAX_BODY) }),
      t(draft.via === 'email' ? 'desk.left.sentByEmail' : 'desk.left.sentToWidget'));
    if (sent) setDraft({ ...draft, body: '' });
  }
  const why = item.email_possible ? '' : t(/@/.test(item.contact || '') ? 'desk.left.noMailServer' : 'desk.left.noAddress');
  return html`
    <form class="composer left-reply" onSubmit=${send} aria-label=${t('desk.left.replyForm')}>
      <fieldset class="via">
        <legend>${t('desk.left.viaLabel')}</legend>
        <label><input type="radio" name="via" value="widget" checked=${draft.via === 'widget'} onChange=${set('via')} />
          ${t('desk.left.viaWidget')}</label>
        <label><input type="radio" name="via" value="email" checked=${draft.via === 'email'} onChange=${set('via')}
                      disabled=${!item.email_possible} />
          ${t('desk.left.viaEmail')}</label>
        ${why && html`<span class="soft small">${why}</span>`}
      </fieldset>
      ${draft.via === 'email' && html`<label class="subject">${t('desk.left.subject')}
        <input maxlength="200" value=${draft.subject} onInput=${set('subject')} /></label>`}
      <label class="visually-hidden" for="left-reply-body">${t('desk.left.reply')}</label>
      <textarea id="left-reply-body" maxlength=${MAX_BODY} value=${draft.body} onInput=${set('body')}
                placeholder=${t(draft.via === 'email' ? 'desk.left.placeholderEmail' : 'desk.left.placeholderWidget')}></textarea>
      <div class="tools"><span class="spacer"></span>
        <button type="submit" class="primary" disabled=${busy.value || !draft.body.trim()}>${t('desk.left.send')}</button>
      </div>
    </form>`;
}

export function LeftMessageView({ item }) {
  if (!item) return html`<section class="conversation-view empty-view"><p>${t('desk.left.loading')}</p></section>`;
  if (item === 'gone') {
    return html`<section class="conversation-view empty-view"><p>${t('desk.left.gone')}</p>
      <button onClick=${closeView}>${t('desk.left.closeView')}</button></section>`;
  }
  const myId = me.value?.agent_id;
  const id = item.conversation_id;
  const open = item.state !== 'closed';
  const mine = item.assignee_id === myId;
  const reason = item.reason && t(`desk.left.reason.${item.reason}`);
  return html`
    <section class="conversation-view left-view" aria-labelledby="left-view-title">
      <header class="view-head">
        <div>
          <h2 id="left-view-title">${t('desk.left.from', { name: leftVisitorName(item) })}</h2>
          <div class="soft small">
            <span class=${`tag left-state ${item.state}`}>${t(`desk.left.state.${item.state}`)}</span>
            ${' '}${[item.skill_group, formatTime(item.submitted_at)].filter(Boolean).join(' · ')}
          </div>
        </div>
        <span class="spacer"></span>
        ${open && !item.assignee_id && html`<button class="primary" disabled=${busy.value}
          onClick=${() => attempt(() => take(id, myId), t('desk.left.taken'))}>${t('desk.left.take')}</button>`}
        ${open && (mine || !item.assignee_id) && html`<button class="danger" disabled=${busy.value}
          onClick=${() => attempt(() => close(id), t('desk.left.closedDone'))}>${t('desk.left.close')}</button>`}
        <button class="promote" onClick=${() => promote(id)}>${t('desk.kb.promote')}</button>
        <button class="ghost" onClick=${closeView}>${t('desk.left.closeView')}</button>
      </header>
      <div class="left-body">
        <dl class="left-facts" aria-label=${t('desk.left.facts')}>
          <${Field} label=${t('desk.left.name')} value=${item.name || item.visitor_name} />
          <${Field} label=${t('desk.left.contact')} value=${item.contact} />
          <${Field} label=${t('desk.left.why')} value=${reason} />
          <${Field} label=${t('desk.left.assignee')} value=${mine ? t('desk.you') : item.assignee_name} />
          <${Field} label=${t('desk.left.repliedVia')} value=${item.reply_via && t(`desk.left.via.${item.reply_via}`)} />
          <${Field} label=${t('desk.left.seen')} value=${item.reply_seen_at && formatTime(item.reply_seen_at)} />
        </dl>
        <${History} item=${item} />
      </div>
      ${open ? html`<${ReplyForm} key=${id} item=${item} />`
        : html`<p class="closed-note">${t('desk.left.isClosed')}</p>`}
    </section>`;
}
