// Where the conversation stands, in one line under the messages: the place in the
// line, who is typing, a transfer under way; while the bot serves, the way to a person.
import { html } from 'htm/preact';
import { t } from 'kefu/i18n.mjs';

import { agent, agentTyping, phase, position } from '../store/conversation.mjs';
import { endChat } from '../store/session.mjs';
import { HandoffButton } from './bot_parts.mjs';

export function StatusLine() {
  let text = null;
  if (agentTyping.value !== null) {
    text = t('chat.agent_typing', { name: agentTyping.value || agent.value?.display_name || t('chat.agent') });
  } else if (phase.value === 'requesting') {
    text = t('chat.requesting');
  } else if (phase.value === 'queued') {
    text = position.value ? t('chat.queue_position', { position: position.value }) : t('chat.queued');
  } else if (phase.value === 'transferring') {
    text = t('chat.transferring');
  }
  const canEnd = ['bot', 'handing_off', 'queued', 'assigned', 'transferring'].includes(phase.value);
  return html`<div class="status-row">
    <p class="status" role="status">${text}</p>
    <${HandoffButton} />
    ${canEnd ? html`<button type="button" class="link end-chat" onClick=${endChat}>${t('chat.end')}</button>` : null}
  </div>`;
}
