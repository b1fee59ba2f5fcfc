// Where the visitor writes: Enter sends, Shift+Enter starts a new line; files come by
// the attach button, by pasting or by dropping them on the chat (see app.mjs).
import { html } from 'htm/preact';
import { useRef, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';

import { sendMessage, sendTyping } from '../store/session.mjs';
import { uploadFiles } from '../store/uploads.mjs';
import { EmojiPicker } from './emoji_picker.mjs';

const MAX_BODY = 5000;
const SMILE = html`<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="9" /><path d="M8.5 14.5a4.5 4.5 0 0 0 7 0" />
  <circle cx="9" cy="10" r="1" class="fill" /><circle cx="15" cy="10" r="1" class="fill" /></svg>`;
const CLIP = html`<svg viewBox="0 0 24 24" aria-hidden="true">
  <path d="M20 11.5l-7.8 7.8a5 5 0 0 1-7.1-7.1l8.1-8.1a3.3 3.3 0 0 1 4.7 4.7l-8.1 8.1a1.7 1.7 0 0 1-2.4-2.4l7.4-7.4" /></svg>`;

export function Composer({ draft, onDraft }) {
  const [picking, setPicking] = useState(false);
  const input = useRef(null);
  const files = useRef(null);
  const send = () => {
    const body = draft.trim();
    if (!body) return;
    sendMessage(body.slice(0, MAX_BODY));
    onDraft('');
    sendTyping('');
  };
  const onInput = (event) => {
    onDraft(event.currentTarget.value);
    sendTyping(event.currentTarget.value);
  };
  const onKeyDown = (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  };
  const onPaste = (event) => {
    const pasted = [...(event.clipboardData?.files || [])];
    if (pasted.length) { event.preventDefault(); uploadFiles(pasted); }
  };
  const insert = (emoji) => {
    const field = input.current;
    const start = field?.selectionStart ?? draft.length;
    const end = field?.selectionEnd ?? draft.length;
    onDraft(draft.slice(0, start) + emoji + draft.slice(end));
    setPicking(false);
    requestAnimationFrame(() => { field?.focus(); field?.setSelectionRange(start + emoji.length, start + emoji.length); });
  };
  return html`<form class="composer" onSubmit=${(event) => { event.preventDefault(); send(); }}>
    ${picking ? html`<${EmojiPicker} onPick=${insert} onClose=${() => { setPicking(false); input.current?.focus(); }} />` : null}
    <textarea ref=${input} id="composer-input" rows="2" maxlength=${MAX_BODY} value=${draft}
              aria-label=${t('chat.message_label')} placeholder=${t('chat.placeholder')}
              onInput=${onInput} onKeyDown=${onKeyDown} onPaste=${onPaste}></textarea>
    <div class="tools">
      <button type="button" class="icon" aria-label=${t('chat.emoji')} aria-expanded=${picking}
              onClick=${() => setPicking(!picking)}>${SMILE}</button>
      <button type="button" class="icon" aria-label=${t('chat.attach')} onClick=${() => files.current?.click()}>${CLIP}</button>
      <input ref=${files} type="file" multiple hidden accept="image/*,video/mp4,video/webm,application/pdf,.txt,.doc,.docx,.xls,.xlsx,.zip"
             onChange=${(event) => { uploadFiles([...event.currentTarget.files]); event.currentTarget.value = ''; }} />
      <button type="submit" class="send" disabled=${!draft.trim()}>${t('chat.send')}</button>
    </div>
  </form>`;
}
