// A chat with a colleague in the middle column: their status, our messages (a polite
// live region, mine on the right) and a composer (Enter sends, Shift+Enter is a new line).
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatTime, t } from 'kefu/i18n.mjs';
import { close, write } from '../state/colleagues.mjs';
import { tree } from '../state/directory.mjs';
import { me } from '../state/session.mjs';
import { RichText } from 'kefu/RichText.mjs';

const MAX_BODY = 5000;

function statusOf(id) {
  for (const group of tree.value?.groups || []) {
    const agent = group.agents.find((a) => a.agent_id === id);
    if (agent) return agent.status;
  }
  return 'offline';
}

function Line({ chat, message }) {
  const mine = message.sender?.id === me.value?.agent_id;
  const who = mine ? t('desk.you') : message.sender?.display_name || chat.name || t('desk.agent.unknown');
  return html`
    <li class=${`message ${mine ? 'agent mine' : 'colleague'} ${message.seq ? '' : 'pending'}`}
        data-seq=${message.seq || ''}>
      <div class="meta">
        <span class="who">${who}</span>
        <time>${message.ts ? formatTime(message.ts) : ''}</time>
        ${!message.seq && !message.failed && html`<span class="soft">${t('message.sending')}</span>`}
        ${message.failed && html`<span class="error-text">${t('desk.message.failed', { code: message.failed })}</span>`}
      </div>
      <div class="body"><${RichText} text=${message.body} /></div>
    </li>`;
}

export function ColleagueChat({ chat }) {
  const [draft, setDraft] = useState('');
  const end = useRef(null);
  const box = useRef(null);
  useEffect(() => { end.current?.scrollIntoView({ block: 'end' }); }, [chat.id, chat.messages.length]);
  useEffect(() => { box.current?.focus(); }, [chat.id]);
  const status = statusOf(chat.id);
  const name = chat.name || t('desk.agent.unknown');

  function send() {
    const body = draft.trim();
    if (!body) return;
    write(chat.id, body.slice(0, MAX_BODY), me.value?.display_name || '');
    setDraft('');
  }

  return html`
    <section class="conversation-view colleague-chat" aria-labelledby="colleague-title">
      <header class="view-head">
        <div>
          <h2 id="colleague-title">${t('desk.colleagues.chatWith', { name })}</h2>
          <div class="soft small"><span class=${`dot ${status}`} aria-hidden="true"></span>
            ${' '}${t(`desk.status.${status}`)}</div>
        </div>
        <span class="spacer"></span>
        <button onClick=${close}>${t('desk.colleagues.close')}</button>
      </header>
      <div class="messages">
        ${chat.loading && !chat.messages.length && html`<p class="soft">${t('desk.colleagues.loading')}</p>`}
        ${!chat.loading && !chat.messages.length && html`<p class="empty">${t('desk.colleagues.none', { name })}</p>`}
        <ol role="log" aria-live="polite" aria-label=${t('desk.colleagues.messages', { name })}>
          ${chat.messages.map((m) => html`<${Line} key=${m.client_msg_id || m.seq} chat=${chat} message=${m} />`)}
        </ol>
        <div ref=${end}></div>
      </div>
      <form class="composer" onSubmit=${(event) => { event.preventDefault(); send(); }}>
        <label class="visually-hidden" for="colleague-input">${t('desk.colleagues.write', { name })}</label>
        <textarea id="colleague-input" ref=${box} value=${draft} maxlength=${MAX_BODY}
                  placeholder=${t('desk.colleagues.placeholder', { name })}
                  onInput=${(event) => setDraft(event.currentTarget.value)}
                  onKeyDown=${(event) => {
                    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); send(); }
                  }}></textarea>
        <div class="tools"><span class="spacer"></span>
          <button type="submit" class="primary" disabled=${!draft.trim()}>${t('desk.composer.send')}</button></div>
      </form>
    </section>`;
}
