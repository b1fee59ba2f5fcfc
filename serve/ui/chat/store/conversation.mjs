// The visitor's conversation as the socket tells it: where it stands (phase), who
// serves it, the forms that belong to its ends (leave a message, rate it) and the
// agent's invitation. Components read these signals; only the session writes them.
import { signal } from '@preact/signals';

// idle (nothing asked yet) | requesting | bot (the FAQ bot answers) | handing_off (to a
// person, until queued / assigned / offline) | queued | assigned | transferring | offline | ended
export const phase = signal('idle');
export const conversationId = signal(null);
// The business the visitor picked from the widget's menu (导航菜单), for this conversation.
export const chosenGroup = signal(null);
export const position = signal(null);
export const agent = signal(null); // {id, display_name}
// The FAQ bot serving the conversation: {name ('' = the widget's own "Assistant"), outOfHours}.
export const bot = signal(null);
export const agentTyping = signal(null); // the typing agent's display name, for ~4 s
export const offlineReason = signal(null);
export const invitation = signal(null); // {invitation_id, agent: {id, display_name} | null, text}
// The leave-message form keeps what was typed across reconnects and re-renders.
export const leaveForm = signal({ name: '', contact: '', body: '', status: 'editing' });
// none | sending | sent | failed
export const rating = signal({ score: 0, comment: '', status: 'none' });
// Replies to the visitor's left messages (留言), by conversation: {conversation_id, asked, replies: [message]}.
export const leftReplies = signal([]);
export const notice = signal(null); // a short error to show the visitor (an i18n key)

export function updateLeaveForm(fields) {
  leaveForm.value = { ...leaveForm.value, ...fields };
}

export function updateRating(fields) {
  rating.value = { ...rating.value, ...fields };
}

export function resetConversation() {
  phase.value = 'idle';
  conversationId.value = null;
  chosenGroup.value = null;
  position.value = null;
  agent.value = null;
  bot.value = null;
  agentTyping.value = null;
  offlineReason.value = null;
  leaveForm.value = { name: leaveForm.value.name, contact: leaveForm.value.contact, body: '', status: 'editing' };
  rating.value = { score: 0, comment: '', status: 'none' };
}
