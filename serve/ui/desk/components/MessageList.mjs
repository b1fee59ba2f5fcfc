// The conversation's messages (a polite live region), the system lines (transfers,
// joins) where they happened, and the visitor's live typing under their last message.
// The FAQ bot's turns (before a hand-off) are labelled as the bot's, with what it offered.
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import { formatTime, t } from 'kefu/i18n.mjs';
import { me } from '../state/session.mjs';
import { Attachments } from 'kefu/Attachments.mjs';
import { agentLabel, visitorLabel } from './names.mjs';
import { RichText } from 'kefu/RichText.mjs';

function EventLine({ event }) {
  let text;
  if (event.kind === 'transferred') {
    text = t('desk.event.transferred', { by: agentLabel(event.by || event.from), to: event.to || '' });
  } else if (event.kind === 'joined') {
    text = t('desk.event.joined', { name: agentLabel(event.who) });
  } else {
    text = t('desk.event.left', { name: agentLabel(event.who) });
  }
  return html`<li class="event">${text}${event.note ? html` — <q>${event.note}</q>` : ''}</li>`;
}

const KINDS = new Set(['visitor', 'system', 'bot']);

// The titles of the articles the bot offered when unsure (plain text).
function Offered({ bot }) {
  const titles = (Array.isArray(bot?.choices) ? bot.choices : []).map((c) => String(c?.title || '')).filter(Boolean);
  if (!titles.length) return null;
  return html`<p class="offered soft small">${t('desk.message.botOffered', { titles: titles.join(' · ') })}</p>`;
}

function senderLabel(c, message, kind) {
  if (kind === 'visitor') return visitorLabel(c);
  if (kind === 'system') return t('desk.message.system');
  if (kind === 'bot') return message.sender?.display_name || t('desk.message.bot');
  return agentLabel(message.sender?.id);
}

function Message({ c, message }) {
  const mine = message.sender?.kind === 'agent' && message.sender.id === me.value?.agent_id;
  const kind = KINDS.has(message.sender?.kind) ? message.sender.kind : 'agent';
  const internal = message.visibility === 'internal';
  const who = senderLabel(c, message, kind);
  const classes = ['message', kind, mine ? 'mine' : '', internal ? 'internal' : '', message.seq ? '' : 'pending'];
  return html`
    <li class=${classes.join(' ')} data-seq=${message.seq || ''}>
      <div class="meta">
        <span class="who">${who}</span>
        ${kind === 'bot' && message.sender?.display_name && html`<span class="tag bot-tag">${t('desk.message.botTag')}</span>`}
        ${internal && html`<span class="tag note">${t('desk.message.internal')}</span>`}
        <time>${message.ts ? formatTime(message.ts) : ''}</time>
        ${!message.seq && !message.failed && html`<span class="soft">${t('message.sending')}</span>`}
        ${message.failed && html`<span class="error-text">${t('desk.message.failed', { code: message.failed })}</span>`}
      </div>
      ${message.body && html`<div class="body"><${RichText} text=${message.body} /></div>`}
      <${Attachments} items=${message.attachments} />
      ${kind === 'bot' && html`<${Offered} bot=${message.bot} />`}
    </li>`;
}

export function MessageList({ c }) {
  const end = useRef(null);
  useEffect(() => { end.current?.scrollIntoView({ block: 'end' }); },
    [c.id, c.messages.length, c.typing, c.events.length]);
  const items = [];
  const events = [...c.events].sort((a, b) => (a.afterSeq ?? Infinity) - (b.afterSeq ?? Infinity));
  for (const message of c.messages) {
    while (events.length && message.seq && events[0].afterSeq !== null && events[0].afterSeq < message.seq) {
      const event = events.shift();
      items.push(html`<${EventLine} key=${`e${event.at}`} event=${event} />`);
    }
    items.push(html`<${Message} key=${message.client_msg_id || message.seq} c=${c} message=${message} />`);
  }
  for (const event of events) items.push(html`<${EventLine} key=${`e${event.at}`} event=${event} />`);
  return html`
    <div class="messages">
      <ol role="log" aria-live="polite" aria-label=${t('desk.messages.label')}>${items}</ol>
      ${c.typing && html`<p class="typing" aria-live="off">
        <span class="soft">${t('desk.messages.typing', { name: visitorLabel(c) })}</span>
        <span class="typing-text">${c.typing}</span></p>`}
      <div ref=${end}></div>
    </div>`;
}
