// The conversation so far, as a polite live region (a screen reader announces new
// messages without interrupting), kept scrolled to the newest message.
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';

import { agent } from '../store/conversation.mjs';
import { messageList } from '../store/messages.mjs';
import { config } from '../store/widget.mjs';
import { safeAttachmentUrl } from '../text.mjs';
import { Message } from './message.mjs';

export function MessageList({ greeting }) {
  const list = messageList.value;
  const end = useRef(null);
  useEffect(() => { end.current?.scrollIntoView({ block: 'end' }); }, [list.length]);
  const icon = safeAttachmentUrl(config.value.agent_icon_url);
  return html`<ol class="messages" role="log" aria-live="polite" aria-label=${t('chat.messages')}>
    ${greeting ? html`<li class="message theirs greeting"><div class="bubble"><p class="body">${greeting}</p></div></li>` : null}
    ${list.map((message) => html`<${Message} key=${message.key} message=${message}
                                             agentName=${agent.value?.display_name} agentIcon=${icon} />`)}
    <li ref=${end} class="end" aria-hidden="true"></li>
  </ol>`;
}
