// The conversation so far, as a polite live region (a screen reader announces new
// messages without interrupting), kept scrolled to the newest message. The widget's own
// greeting gives way to the bot's when the bot greets first.
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';

import { openOffer } from '../store/bot.mjs';
import { agent, phase } from '../store/conversation.mjs';
import { messageList } from '../store/messages.mjs';
import { config } from '../store/widget.mjs';
import { safeAttachmentUrl } from '../text.mjs';
import { Message } from './message.mjs';

export function MessageList({ greeting }) {
  const list = messageList.value;
  const end = useRef(null);
  // Again when the phase changes: a form below (leave a message, rating) takes room from
  // the list, and the newest messages (the bot's "no one can take it") must stay in view.
  useEffect(() => { end.current?.scrollIntoView({ block: 'end' }); }, [list.length, phase.value]);
  const icon = safeAttachmentUrl(config.value.agent_icon_url);
  // Only the bot's latest choices can be picked, once, and only while it serves.
  const choosable = phase.value === 'bot' ? openOffer.value : null;
  return html`<ol class="messages" role="log" aria-live="polite" aria-label=${t('chat.messages')}>
    ${greeting && list[0]?.sender?.kind !== 'bot' ? html`<li class="message theirs greeting"><div class="bubble"><p class="body">${greeting}</p></div></li>` : null}
    ${list.map((message) => html`<${Message} key=${message.key} message=${message}
                                             agentName=${agent.value?.display_name} agentIcon=${icon}
                                             choosable=${message === choosable} />`)}
    <li ref=${end} class="end" aria-hidden="true"></li>
  </ol>`;
}
