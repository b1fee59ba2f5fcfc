// Short notices over the chat: the connection (lost, then "connected again" that
// clears itself), sounds the browser blocked, uploads in progress or refused, and an
// invitation from an agent, and the replies to the visitor's left messages.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';

import { invitation, leftReplies } from '../store/conversation.mjs';
import { answerInvitation, dismissLeftReply } from '../store/session.mjs';
import { dismissUpload } from '../store/uploads.mjs';
import { soundBlocked, uploads } from '../store/widget.mjs';
import { unlockSound } from '../sound.mjs';

const RESTORED_SHOWN_MS = 3000;

export function ConnectionBanner({ state }) {
  const [restored, setRestored] = useState(false);
  const wasLost = useRef(false);
  useEffect(() => {
    if (state === 'lost') { wasLost.current = true; setRestored(false); return undefined; }
    if (state !== 'open' || !wasLost.current) return undefined;
    wasLost.current = false;
    setRestored(true);
    const timer = setTimeout(() => setRestored(false), RESTORED_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [state]);
  if (state === 'lost') return html`<p class="banner lost" role="status">${t('connection.lost')}</p>`;
  if (restored) return html`<p class="banner restored" role="status">${t('connection.restored')}</p>`;
  return null;
}

export function SoundNotice() {
  if (!soundBlocked.value) return null;
  return html`<p class="banner sound" role="status">${t('chat.sound_blocked')}
    <button type="button" class="link" onClick=${unlockSound}>${t('chat.sound_enable')}</button></p>`;
}

function uploadError(code) {
  if (code === 'too_large') return t('chat.upload_too_large');
  if (code === 'type') return t('chat.upload_type');
  return t('chat.upload_failed');
}

export function Uploads() {
  const list = uploads.value;
  if (!list.length) return null;
  return html`<ul class="uploads">${list.map((u) => html`<li key=${u.id}>
    <span class="name">${u.name}</span>
    ${u.error
      ? html`<span class="error" role="alert">${uploadError(u.error)}</span>
        <button type="button" class="link" onClick=${() => dismissUpload(u.id)}>${t('chat.dismiss')}</button>`
      : html`<progress max="1" value=${u.progress} aria-label=${t('chat.uploading', { name: u.name })}></progress>`}
  </li>`)}</ul>`;
}

export function LeftReplies() {
  return leftReplies.value.map((entry) => html`<section class="invitation left-reply" key=${entry.conversation_id}
      aria-label=${t('chat.left_reply')}>
    <p class="who">${t('chat.left_reply')}</p>
    ${entry.asked ? html`<blockquote>${entry.asked}</blockquote>` : null}
    ${entry.replies.map((m) => html`<p key=${m.seq}><strong>${m.sender?.display_name || t('chat.agent')}</strong>: ${m.body}</p>`)}
    <div class="row">
      <button type="button" class="secondary" onClick=${() => dismissLeftReply(entry.conversation_id)}>${t('chat.left_reply_dismiss')}</button>
    </div>
  </section>`);
}

export function InvitationCard() {
  const invite = invitation.value;
  if (!invite) return null;
  return html`<section class="invitation" aria-label=${t('chat.invitation')}>
    <p class="who">${invite.agent?.display_name || t('chat.agent')}</p>
    <p>${invite.text}</p>
    <div class="row">
      <button type="button" class="primary" onClick=${() => answerInvitation(true)}>${t('chat.invitation_accept')}</button>
      <button type="button" class="secondary" onClick=${() => answerInvitation(false)}>${t('chat.invitation_decline')}</button>
    </div>
  </section>`;
}
