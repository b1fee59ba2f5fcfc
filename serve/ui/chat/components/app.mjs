// The chat app: header, notices, the messages, and below them what the conversation's
// phase calls for (the composer, the leave-message form, the rating).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';

import { phase } from '../store/conversation.mjs';
import { connectionState } from '../store/session.mjs';
import { uploadFiles } from '../store/uploads.mjs';
import { config } from '../store/widget.mjs';
import { Composer } from './composer.mjs';
import { Header } from './header.mjs';
import { LeaveMessageForm } from './leave_message.mjs';
import { Menu, menuShown } from './menu.mjs';
import { MessageList } from './message_list.mjs';
import { ConnectionBanner, InvitationCard, LeftReplies, SoundNotice, Uploads } from './notices.mjs';
import { RatingForm } from './rating.mjs';
import { StatusLine } from './status_line.mjs';

function Footer({ draft, setDraft }) {
  if (phase.value === 'offline') return html`<${LeaveMessageForm} />`;
  if (phase.value === 'ended') return html`<${RatingForm} />`;
  if (menuShown()) return html`<${Menu} />`;
  return html`<${Composer} draft=${draft} onDraft=${setDraft} />`;
}

export function App({ embedded, onLanguage, onClose }) {
  const [draft, setDraft] = useState('');
  const [dragging, setDragging] = useState(false);
  const canDrop = !['offline', 'ended'].includes(phase.value);
  const onDrop = (event) => {
    event.preventDefault();
    setDragging(false);
    const files = [...(event.dataTransfer?.files || [])];
    if (files.length && canDrop) uploadFiles(files);
  };
  const onDragOver = (event) => {
    if (!canDrop || ![...(event.dataTransfer?.types || [])].includes('Files')) return;
    event.preventDefault();
    setDragging(true);
  };
  const onKeyDown = (event) => {
    if (event.key === 'Escape' && embedded && !event.defaultPrevented) onClose();
  };
  return html`<div class=${`chat${dragging ? ' dragging' : ''}`} onDragOver=${onDragOver}
                   onDragLeave=${() => setDragging(false)} onDrop=${onDrop} onKeyDown=${onKeyDown}>
    <${Header} embedded=${embedded} onLanguage=${onLanguage} onClose=${onClose} />
    <${ConnectionBanner} state=${connectionState()} />
    <${SoundNotice} />
    <${InvitationCard} />
    <${LeftReplies} />
    <${MessageList} greeting=${config.value.greeting || t('chat.greeting')} />
    <${StatusLine} />
    <${Uploads} />
    <${Footer} draft=${draft} setDraft=${setDraft} />
    ${dragging ? html`<div class="drop-hint" aria-hidden="true">${t('chat.drop_here')}</div>` : null}
  </div>`;
}
