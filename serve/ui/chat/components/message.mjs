// One message: its text (links made safe, everything else as text) and attachments;
// the bot's with its avatar, its name and the choices it offers.
import { html } from 'htm/preact';
import { formatTime, t } from 'kefu/i18n.mjs';

import { formatBytes, linkParts, safeAttachmentUrl } from '../text.mjs';
import { BotAvatar, BotChoices } from './bot_parts.mjs';

const LINK_REL = 'noopener noreferrer nofollow';

function Body({ body }) {
  if (!body) return null;
  return html`<p class="body">${linkParts(body).map((part) => (part.href
    ? html`<a href=${part.href} rel=${LINK_REL} target="_blank">${part.text}</a>`
    : part.text))}</p>`;
}

function Attachment({ file }) {
  const url = safeAttachmentUrl(file.url);
  const name = String(file.name || '');
  if (!url) return html`<span class="file">${name}</span>`;
  const type = String(file.content_type || '');
  if (type.startsWith('image/')) {
    const thumbnail = safeAttachmentUrl(file.thumbnail_url) || url;
    return html`<a class="thumb" href=${url} rel=${LINK_REL} target="_blank">
      <img src=${thumbnail} alt=${name} loading="lazy" /></a>`;
  }
  if (type.startsWith('video/')) {
    return html`<video class="thumb" src=${url} controls preload="metadata" aria-label=${name}></video>`;
  }
  return html`<a class="file" href=${url} rel=${LINK_REL} target="_blank" download=${name}>
    ${name} <span class="size">${formatBytes(file.size)}</span></a>`;
}

function BotMessage({ message, choosable }) {
  const name = message.sender?.display_name || t('chat.bot');
  return html`<li class="message theirs bot" data-seq=${message.seq ?? ''}>
    <${BotAvatar} />
    <div class="stack">
      <div class="bubble">
        <span class="from">${name}<span class="visually-hidden">: </span></span>
        <${Body} body=${message.body} />
        <span class="meta">${formatTime(message.ts)}</span>
      </div>
      <${BotChoices} message=${message} choosable=${choosable} />
    </div>
  </li>`;
}

export function Message({ message, agentName, agentIcon, choosable }) {
  if (message.sender?.kind === 'bot') return html`<${BotMessage} message=${message} choosable=${choosable} />`;
  const mine = message.sender?.kind === 'visitor';
  const system = message.sender?.kind === 'system';
  const who = mine ? t('chat.you') : system ? t('chat.system') : agentName || t('chat.agent');
  const attachments = Array.isArray(message.attachments) ? message.attachments.filter((a) => a && typeof a === 'object') : [];
  return html`<li class=${`message ${mine ? 'mine' : system ? 'system' : 'theirs'}${message.pending ? ' pending' : ''}`}
                  data-seq=${message.seq ?? ''}>
    ${!mine && !system && agentIcon ? html`<img class="avatar" src=${agentIcon} alt="" />` : null}
    <div class="bubble">
      <span class="visually-hidden">${who}: </span>
      <${Body} body=${message.body} />
      ${attachments.map((file) => html`<${Attachment} key=${file.id} file=${file} />`)}
      <span class="meta">${message.failed ? t('chat.not_delivered')
        : message.pending ? t('message.sending') : formatTime(message.ts)}</span>
    </div>
  </li>`;
}
