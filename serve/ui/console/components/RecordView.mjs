// One conversation: its facts and whole history (internal notes and whispers marked,
// the FAQ bot's turns labelled as the bot's),
// and while it is being served the supervisor's actions (PROTOCOL.md 1.1): monitor
// (messages and the visitor's typing preview, unseen), whisper to the agent (internal),
// barge in (seen by both), take over (become the owner), transfer (to a skill group or
// an agent), end. Beside it the visitor's trail (RecordVisitor). Closing the view leaves.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatTime, t } from 'kefu/i18n.mjs';
import { Attachments } from 'kefu/Attachments.mjs';
import { RichText } from 'kefu/RichText.mjs';
import { conversation, messages } from '../api/records.mjs';
import { follow, say, send, unfollow } from '../socket.mjs';
import { agentName } from '../state/names.mjs';
import { me } from '../state/session.mjs';
import * as watching from '../state/watching.mjs';
import { RecordVisitor } from './RecordVisitor.mjs';
import { TransferDialog } from './TransferDialog.mjs';
import { attempt } from './useLoad.mjs';

const MODES = ['monitor', 'whisper', 'barge'];

function sender(message) {
  const kind = message.sender?.kind;
  if (kind === 'visitor') return t('console.record.visitor');
  if (kind === 'system') return t('console.record.system');
  if (kind === 'bot') return message.sender?.display_name || t('console.record.bot');
  if (message.sender?.id === me.value?.agent_id) return t('console.record.you');
  return message.sender?.display_name || agentName(message.sender?.id);
}

// What the FAQ bot offered when unsure: its choices' titles (plain text).
function Offered({ bot }) {
  const titles = (Array.isArray(bot?.choices) ? bot.choices : []).map((c) => String(c?.title || '')).filter(Boolean);
  if (!titles.length) return null;
  return html`<p class="offered soft small">${t('console.record.botOffered', { titles: titles.join(' · ') })}</p>`;
}

function Transcript({ c }) {
  const end = useRef(null);
  useEffect(() => { end.current?.scrollIntoView({ block: 'end' }); }, [c.messages.length, c.preview]);
  return html`
    <ol class="transcript" role="log" aria-live="polite" aria-label=${t('console.record.history')}>
      ${c.messages.map((m) => html`
        <li class=${`message ${m.sender?.kind || ''} ${m.visibility === 'internal' ? 'internal' : ''}`} data-seq=${m.seq}>
          <div class="meta"><span class="who">${sender(m)}</span><span>${formatTime(m.ts)}</span>
            ${m.visibility === 'internal' && html`<span class="tag note">${t('console.record.internal')}</span>`}
            ${m.sender?.kind === 'bot' && m.sender?.display_name && html`<span class="tag bot-tag">${t('console.record.bot')}</span>`}</div>
          ${m.body && html`<div class="body"><${RichText} text=${m.body} /></div>`}
          ${m.sender?.kind === 'bot' && html`<${Offered} bot=${m.bot} />`}
          ${m.attachments?.length ? html`<${Attachments} items=${m.attachments} />` : null}
        </li>`)}
      ${c.preview && html`<li class="typing" aria-live="off"><span class="soft">${t('console.record.typing')}</span>
        <span class="typing-text">${c.preview}</span></li>`}
      <li ref=${end} aria-hidden="true"></li>
    </ol>`;
}

function Composer({ c, internal }) {
  const [text, setText] = useState('');
  const submit = (event) => {
    event.preventDefault();
    if (!text.trim()) return;
    say(c.id, text.trim(), internal);
    setText('');
  };
  return html`
    <form class=${`composer ${internal ? 'internal' : ''}`} onSubmit=${submit}>
      <textarea name="body" maxlength="5000" value=${text} onInput=${(e) => setText(e.target.value)}
                aria-label=${internal ? t('console.supervise.whisperLabel') : t('console.supervise.bargeLabel')}
                placeholder=${internal ? t('console.supervise.whisperHint') : t('console.supervise.bargeHint')}></textarea>
      <div class="tools"><span class="spacer"></span>
        <button class="primary" type="submit">${internal ? t('console.supervise.whisperSend') : t('console.supervise.send')}</button></div>
    </form>`;
}

export function RecordView({ id, onBack }) {
  const [transferring, setTransferring] = useState(false);
  const c = watching.watched.value?.id === id ? watching.watched.value : null;
  useEffect(() => {
    let gone = false;
    attempt(async () => {
      const [row, history] = await Promise.all([conversation(id), messages(id)]);
      if (gone) return;
      watching.open(id, row, history);
      follow(id, history.length ? history[history.length - 1].seq : 0);
    });
    return () => {
      gone = true;
      if (watching.watched.value?.id === id && watching.watched.value.mode) {
        send({ type: 'participant.leave', conversation_id: id });
      }
      unfollow(id);
      watching.close();
    };
  }, [id]);
  if (!c) return html`<p class="empty">${t('console.loading')}</p>`;
  const row = c.row;
  const live = row.status === 'assigned' && !c.ended;
  const owner = row.agent_id === me.value?.agent_id;
  return html`
    <section class="record" aria-labelledby="record-title">
      <div class="page-head">
        <button class="ghost" onClick=${onBack}>← ${t('console.record.back')}</button>
        <h2 id="record-title">${t('console.record.title', { id: row.conversation_id.slice(-8) })}</h2>
        <span class=${`tag status-${c.ended ? 'ended' : row.status}`}>${t(`console.status.${c.ended ? 'ended' : row.status}`)}</span>
      </div>
      <dl class="facts">
        <div><dt>${t('console.records.requested')}</dt><dd>${formatTime(row.requested_at)}</dd></div>
        <div><dt>${t('console.reports.skillGroup')}</dt><dd>${row.skill_group || '—'}</dd></div>
        <div><dt>${t('console.reports.agent')}</dt><dd>${agentName(row.agent_id) || '—'}</dd></div>
        <div><dt>${t('console.reports.channel')}</dt><dd>${row.channel}</dd></div>
        <div><dt>${t('console.record.visitorId')}</dt><dd>${row.visitor_id}</dd></div>
        ${row.rating && html`<div><dt>${t('console.records.rating')}</dt>
          <dd>${'★'.repeat(row.rating.score)} ${row.rating.comment}</dd></div>`}
      </dl>
      ${live && html`
        <div class="supervise" role="group" aria-label=${t('console.supervise.label')}>
          ${!owner && MODES.map((mode) => html`
            <button aria-pressed=${c.mode === mode ? 'true' : 'false'}
                    onClick=${() => send({ type: 'supervise', conversation_id: id, mode })}>
              ${t(`console.supervise.${mode}`)}</button>`)}
          ${!owner && html`<button onClick=${() => send({ type: 'takeover', conversation_id: id })}>
            ${t('console.supervise.takeover')}</button>`}
          ${owner && html`<span class="tag">${t('console.supervise.youOwn')}</span>`}
          <button onClick=${() => setTransferring(true)}>${t('console.supervise.transfer')}</button>
          <span class="spacer"></span>
          <button class="danger" onClick=${() => send({ type: 'chat.end', conversation_id: id })}>${t('console.supervise.end')}</button>
        </div>`}
      ${live && transferring && html`<${TransferDialog} exceptAgent=${row.agent_id} onClose=${() => setTransferring(false)}
        onChoose=${(to, note) => { send({ type: 'transfer', conversation_id: id, to, ...(note ? { note } : {}) }); setTransferring(false); }} />`}
      <div class="record-body">
        <div class="record-main">
          <${Transcript} c=${c} />
          ${live && (owner || c.mode === 'barge') && html`<${Composer} c=${c} internal=${false} />`}
          ${live && !owner && c.mode === 'whisper' && html`<${Composer} c=${c} internal=${true} />`}
        </div>
        <${RecordVisitor} visitorId=${row.visitor_id} conversationId=${row.conversation_id} />
      </div>
    </section>`;
}
