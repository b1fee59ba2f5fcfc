// The FAQ bot's side of the visitor's conversation (contract: bot.serving, bot messages
// with their `bot` object, bot.choose, bot.handoff, bot.handed_off): what the session's
// frames change here, and what the components read (the latest offer, the choices).
import { computed } from '@preact/signals';
import { newClientMsgId } from 'kefu/connection.mjs';

import * as chat from './conversation.mjs';
import * as messages from './messages.mjs';

export const BOT_PHASES = new Set(['bot', 'handing_off']);

// The center answered the request (or the reload's request) with its bot.
export function served(frame) {
  chat.phase.value = 'bot';
  // Out of hours a hand-off leaves a message: the button says so from the start.
  chat.bot.value = { name: String(frame.bot?.name || ''), outOfHours: frame.out_of_hours === true };
}

// A reload mid-bot conversation: the welcome's status says so before any answer.
export function restored() {
  chat.phase.value = 'bot';
  if (!chat.bot.value) chat.bot.value = { name: '', outOfHours: false };
}

// To everyone in it; the queued / assigned / offline that follows may come first, so
// only a conversation still with its bot steps to handing_off. The bot's own message
// (in the visitor's language, kept in the history) says what happens: no line is added
// here. To a left message the leave-message form (the `offline` that follows) shows.
export function handedOff(frame) {
  if (frame.to === 'left_message') return;
  if (chat.phase.value === 'bot') chat.phase.value = 'handing_off';
}

// The latest bot message's offer ({article_id?, choices?, handoff_offered?, leave_message_offered?}).
export const latestBotMessage = computed(() => {
  const list = messages.messageList.value;
  for (let i = list.length - 1; i >= 0; i -= 1) {
    if (list[i].sender?.kind === 'bot') return list[i];
  }
  return null;
});

// The latest bot message while the visitor has not answered it (typed or picked): its
// choices can be picked once.
export const openOffer = computed(() => {
  const latest = latestBotMessage.value;
  if (!latest) return null;
  const list = messages.messageList.value;
  return list.slice(list.indexOf(latest) + 1).some((m) => m.sender?.kind === 'visitor') ? null : latest;
});

export function offer() {
  const bot = latestBotMessage.value?.bot;
  return bot && typeof bot === 'object' ? bot : {};
}

// Valid choices only, as plain values (their titles are shown as text).
export function choicesOf(message) {
  const list = Array.isArray(message.bot?.choices) ? message.bot.choices : [];
  return list.filter((c) => c && typeof c.article_id === 'string' && c.article_id)
    .map((c) => ({ article_id: c.article_id, title: String(c.title || c.article_id) }));
}

// The visitor picked one of the bot's choices: shown at once as their message (the
// center stores it with the article's title as its body) and sent until acknowledged.
export function choiceFrame(conversationId, choice) {
  const clientMsgId = newClientMsgId();
  messages.addPending(clientMsgId, choice.title);
  return { type: 'bot.choose', conversation_id: conversationId, client_msg_id: clientMsgId,
           article_id: choice.article_id };
}
