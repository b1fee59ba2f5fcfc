// The visitor's socket, turned into store updates (frames in), and the visitor's
// actions turned into frames (frames out). Loss and duplicates are the shared
// Connection's job (kefu/connection.mjs): it resumes from the last seq after every
// reconnect and whenever the tab is shown again, and re-sends unacknowledged messages.
import { signal } from '@preact/signals';
import { Connection, newClientMsgId } from 'kefu/connection.mjs';
import { t } from 'kefu/i18n.mjs';

import { embedded, skillGroup, toHost } from '../host.mjs';
import { current, obtainToken } from './credentials.mjs';
import * as chat from './conversation.mjs';
import * as messages from './messages.mjs';
import * as bot from './bot.mjs';
import { noticeNewAgentMessage } from './attention.mjs';

const TYPING_SHOWN_MS = 4000;
const TYPING_EVERY_MS = 400;
const REQUEST_AGAIN_MS = 4000;
const ACTIVE = new Set(['requesting', 'bot', 'handing_off', 'queued', 'assigned', 'transferring', 'offline']);

let connection = null;
let waitingForConversation = []; // message frames written before the conversation existed
let pageViews = []; // page views not sent yet (the socket was not open)
const historyLoaded = new Set(); // conversations whose first resume has come back
let typingTimer = null;
let lastTypingSent = 0;
let leaveMessageId = null;

// The connection's state for the UI: connecting | open | lost | closed.
const socket = signal(null);
export const connectionState = () => socket.value?.state.value ?? 'connecting';

export async function startSession() {
  await obtainToken();
  const base = location.origin.replace(/^http/, 'ws');
  connection = new Connection({
    url: () => `${base}/ws/visitor?token=${encodeURIComponent(current.token)}`,
    onFrame: receive,
    onOpen,
    onClose: async (event) => {
      if (event.code !== 4401 && event.code !== 4403) return;
      await obtainToken({ refused: true }); // an expired token: trade the key or start anew
      connection.reopen();
    },
  });
  socket.value = connection;
  return connection;
}

// -- frames in ---------------------------------------------------------------------------

const handlers = {
  welcome(frame) {
    const open = frame.conversations || [];
    const mine = chat.conversationId.value;
    if (mine && ACTIVE.has(chat.phase.value) && !open.some((c) => c.conversation_id === mine)) {
      chat.phase.value = 'ended'; // it ended while we were away
      return;
    }
    const still = open.find((c) => c.conversation_id === mine);
    if (still && bot.BOT_PHASES.has(chat.phase.value) && still.status !== 'bot') {
      connection.sendNow(requestFrame()); // handed off while we were away: where does it stand?
    }
    if (!mine && open.length) {
      // A returning visitor: the history, then where the conversation stands (the
      // center answers an open conversation's request with its own state).
      const last = open[open.length - 1];
      adopt(last.conversation_id, 'requesting');
      if (last.status === 'bot') bot.restored();
      connection.sendNow(requestFrame());
    }
  },
  'bot.serving'(frame) {
    if (!accept(frame)) return;
    bot.served(frame);
    flushWaiting();
  },
  'bot.handed_off'(frame) {
    if (frame.conversation_id === chat.conversationId.value) bot.handedOff(frame);
  },
  queued(frame) {
    if (!accept(frame)) return;
    chat.phase.value = 'queued';
    chat.position.value = frame.position;
    flushWaiting();
  },
  assigned(frame) {
    if (!accept(frame)) return;
    chat.phase.value = 'assigned';
    chat.agent.value = frame.agent || null;
    flushWaiting();
  },
  offline(frame) {
    if (!accept(frame)) return;
    chat.phase.value = 'offline';
    chat.offlineReason.value = frame.reason || null;
    // What the visitor wrote (while waiting, or before we knew) goes into the form,
    // to be completed with a contact: the left message is one piece for the agent.
    const written = messages.messageList.value.filter((m) => m.sender?.kind === 'visitor')
      .map((m) => m.body).filter(Boolean).join('\n');
    for (const f of waitingForConversation) messages.dropPending(f.client_msg_id);
    waitingForConversation = [];
    if (written && !chat.leaveForm.value.body) chat.updateLeaveForm({ body: written });
  },
  transferred(frame) {
    if (frame.conversation_id !== chat.conversationId.value) return;
    // To an agent the hand-over is done when this arrives (the new owner's slot was granted
    // and stored first), and no `assigned` follows for the visitor; to a group the visitor
    // waits again until its `queued` / `assigned`.
    chat.phase.value = frame.to?.agent_id ? 'assigned' : 'transferring';
    chat.agent.value = frame.to?.agent_id ? { id: frame.to.agent_id, display_name: frame.to.display_name } : null;
  },
  message({ message }) {
    if (message.conversation_id !== chat.conversationId.value) {
      if (chat.phase.value === 'requesting') messages.holdEarly(message);
      return;
    }
    const isNew = messages.received(message);
    if (message.sender?.kind === 'agent' || message.sender?.kind === 'bot') {
      if (message.sender.kind === 'agent') chat.agentTyping.value = null;
      if (isNew && historyLoaded.has(message.conversation_id)) noticeNewAgentMessage();
    }
  },
  ack(frame) {
    if (frame.client_msg_id === leaveMessageId) {
      leaveMessageId = null;
      chat.updateLeaveForm({ status: 'sent' });
      return;
    }
    messages.acknowledged(frame);
  },
  'left_message.reply'(frame) {
    const known = chat.leftReplies.value;
    const entry = known.find((r) => r.conversation_id === frame.conversation_id)
      || { conversation_id: frame.conversation_id, asked: frame.asked || '', replies: [] };
    if (entry.replies.some((m) => m.seq === frame.message.seq)) return;
    const reply = { ...frame.message, sender: { ...frame.message.sender, display_name: frame.agent?.display_name } };
    const updated = { ...entry, replies: [...entry.replies, reply] };
    chat.leftReplies.value = [...known.filter((r) => r !== entry), updated];
    noticeNewAgentMessage();
  },
  resumed(frame) { historyLoaded.add(frame.conversation_id); },
  ended(frame) {
    if (frame.conversation_id !== chat.conversationId.value) return;
    // A sent left message ends its conversation: the form's thanks stay, not a rating.
    if (chat.phase.value === 'offline') return;
    chat.phase.value = 'ended';
    chat.agentTyping.value = null;
  },
  'typing.indicator'(frame) {
    if (frame.conversation_id !== chat.conversationId.value) return;
    chat.agentTyping.value = frame.sender?.display_name || chat.agent.value?.display_name || '';
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { chat.agentTyping.value = null; }, TYPING_SHOWN_MS);
  },
  invitation(frame) {
    // No text of the center's own: ours, in the visitor's language.
    const text = frame.text || t('chat.invitation_default');
    chat.invitation.value = { invitation_id: frame.invitation_id, agent: frame.agent || null, text };
    toHost({ kefu: 'invitation', invitation_id: frame.invitation_id,
             agent: frame.agent?.display_name || '', text });
  },
  'invitation.closed'(frame) {
    if (chat.invitation.value?.invitation_id === frame.invitation_id) chat.invitation.value = null;
    toHost({ kefu: 'invitation.closed', invitation_id: frame.invitation_id });
    // The answer to the accept (assigned / queued) may come first: never step back from it.
    if (frame.outcome === 'accepted' && frame.conversation_id && frame.conversation_id !== chat.conversationId.value) {
      adopt(frame.conversation_id, 'requesting');
    }
  },
  rated(frame) {
    if (frame.conversation_id === chat.conversationId.value) chat.updateRating({ status: 'sent' });
  },
  error(frame) {
    if (['overloaded', 'rate_limited', 'internal'].includes(frame.code) && chat.phase.value === 'requesting'
        && !chat.conversationId.value) {
      requestAgainIn(1000 * Math.max(1, Number(frame.retry_after_s) || 1));
    }
    if (frame.code === 'already_rated') chat.updateRating({ status: 'sent' });
    else if (chat.rating.value.status === 'sending') chat.updateRating({ status: 'failed' });
    if (leaveMessageId && frame.code !== 'rate_limited') chat.updateLeaveForm({ status: 'failed' });
    // The hand-off was refused (the center says why): the bot still serves.
    if (chat.phase.value === 'handing_off' && frame.code !== 'conversation_closed') chat.phase.value = 'bot';
    if (frame.code === 'conversation_closed') {
      chat.phase.value = 'ended';
      for (const id of messages.failPending()) connection.outbox.delete(id);
    }
  },
};

function receive(frame) {
  const handler = Object.hasOwn(handlers, frame.type) && handlers[frame.type];
  if (handler) handler(frame);
}

// A conversation frame for the one we have, or the answer to our request.
function accept(frame) {
  const mine = chat.conversationId.value;
  if (mine && frame.conversation_id !== mine) {
    if (chat.phase.value !== 'requesting') return false;
  }
  if (frame.conversation_id !== mine) adopt(frame.conversation_id, chat.phase.value);
  return true;
}

function adopt(conversationId, phase) {
  if (chat.conversationId.value !== conversationId) {
    if (chat.conversationId.value) connection.unfollow(chat.conversationId.value);
    chat.conversationId.value = conversationId;
    messages.clearStored();
    messages.takeEarly(conversationId);
  }
  chat.phase.value = phase;
  connection.follow(conversationId, 0); // the whole history, once
}

// Messages written before the conversation existed go once it is queued or served.
function flushWaiting() {
  const waiting = waitingForConversation;
  waitingForConversation = [];
  for (const frame of waiting) connection.sendMessage({ ...frame, conversation_id: chat.conversationId.value });
}

// -- frames out --------------------------------------------------------------------------

// A frame that only matters now; false when there is no open socket (or none yet:
// the visitor may write before the session has its token).
function sendNow(frame) {
  return connection ? connection.sendNow(frame) : false;
}

let requestTimer = null;

// The page's skill group (the embed code's data-skill-group) wins over a menu choice.
function requestFrame() {
  const group = skillGroup || chat.chosenGroup.value;
  return { type: 'chat.request', ...(group ? { skill_group: group } : {}) };
}

// The visitor picked a business from the menu: ask for a conversation there now.
export function chooseGroup(name) {
  chat.chosenGroup.value = name;
  requestChat();
}

function requestChat() {
  chat.phase.value = 'requesting';
  // Not in the outbox: asked again on every (re)connect (onOpen) and, while no answer
  // came (a busy shard answers `overloaded`), every few seconds; an open conversation's
  // request is answered with that conversation, so asking again opens nothing new.
  sendNow(requestFrame());
  requestAgainIn(REQUEST_AGAIN_MS);
}

function requestAgainIn(ms) {
  clearTimeout(requestTimer);
  requestTimer = setTimeout(() => {
    if (chat.phase.value === 'requesting' && !chat.conversationId.value) requestChat();
  }, ms);
}

function onOpen() {
  flushPageViews();
  if (chat.phase.value === 'requesting' && !chat.conversationId.value) requestChat();
}

export function sendMessage(body, attachments = []) {
  const clientMsgId = newClientMsgId();
  messages.addPending(clientMsgId, body, attachments);
  const frame = { type: 'message', client_msg_id: clientMsgId, body,
                  ...(attachments.length ? { attachments: attachments.map((a) => a.id) } : {}) };
  if (chat.phase.value === 'ended') {
    chat.resetConversation();
  }
  const conversationId = chat.conversationId.value;
  if (conversationId && ACTIVE.has(chat.phase.value)) {
    connection.sendMessage({ ...frame, conversation_id: conversationId });
  } else {
    waitingForConversation.push(frame);
    if (chat.phase.value !== 'requesting') requestChat();
  }
}

// Makes sure a conversation exists (an upload needs its id) and calls back with it.
export function withConversation(callback) {
  const conversationId = chat.conversationId.value;
  if (conversationId && ACTIVE.has(chat.phase.value) && chat.phase.value !== 'requesting') {
    callback(conversationId);
    return;
  }
  if (chat.phase.value === 'ended') chat.resetConversation();
  if (chat.phase.value !== 'requesting') requestChat();
  const stop = chat.phase.subscribe((value) => {
    if (value === 'requesting' || value === 'idle') return;
    queueMicrotask(() => stop());
    if (chat.conversationId.value && value !== 'ended') callback(chat.conversationId.value);
  });
}

// The visitor picked one of the bot's choices (an article).
export function chooseArticle(choice) {
  const conversationId = chat.conversationId.value;
  if (!conversationId || chat.phase.value !== 'bot') return;
  connection.sendMessage(bot.choiceFrame(conversationId, choice));
}

// "Talk to a person": the bot hands off; queued / assigned / offline follow.
export function askForPerson() {
  const conversationId = chat.conversationId.value;
  if (!conversationId || chat.phase.value !== 'bot') return;
  if (sendNow({ type: 'bot.handoff', conversation_id: conversationId })) chat.phase.value = 'handing_off';
}

let typingDraft = null;
let typingSendTimer = null;

// At most one preview per TYPING_EVERY_MS, and always the latest text last: a throttle
// that only dropped keystrokes would leave the agent reading the first letters.
export function sendTyping(text) {
  const conversationId = chat.conversationId.value;
  if (!conversationId || !['queued', 'assigned'].includes(chat.phase.value)) return;
  typingDraft = text;
  const wait = lastTypingSent + TYPING_EVERY_MS - Date.now();
  if (wait > 0 && text) {
    if (!typingSendTimer) typingSendTimer = setTimeout(flushTyping, wait);
    return;
  }
  flushTyping();
}

function flushTyping() {
  clearTimeout(typingSendTimer);
  typingSendTimer = null;
  const conversationId = chat.conversationId.value;
  if (typingDraft === null || !conversationId || !['queued', 'assigned'].includes(chat.phase.value)) return;
  lastTypingSent = Date.now();
  sendNow({ type: 'typing', conversation_id: conversationId, text: typingDraft.slice(0, 2000) });
  typingDraft = null;
}

export function endChat() {
  const conversationId = chat.conversationId.value;
  if (conversationId) sendNow({ type: 'chat.end', conversation_id: conversationId });
}

export function startOver() {
  if (chat.conversationId.value) connection.unfollow(chat.conversationId.value);
  chat.resetConversation();
  messages.clearMessages();
}

export function rate(score, comment) {
  chat.updateRating({ score, comment, status: 'sending' });
  const sent = sendNow({ type: 'rating', conversation_id: chat.conversationId.value, score,
                                    ...(comment ? { comment: comment.slice(0, 500) } : {}) });
  if (!sent) chat.updateRating({ status: 'failed' });
}

export function leaveMessage() {
  const form = chat.leaveForm.value;
  chat.updateLeaveForm({ status: 'sending' });
  leaveMessageId = connection.sendMessage({
    type: 'leave_message', conversation_id: chat.conversationId.value,
    contact: form.contact.trim(), body: form.body.trim(), ...(form.name.trim() ? { name: form.name.trim() } : {}),
  });
}

// The visitor read the replies to a left message: not offered on the next visit.
export function dismissLeftReply(conversationId) {
  chat.leftReplies.value = chat.leftReplies.value.filter((r) => r.conversation_id !== conversationId);
  sendNow({ type: 'left_message.seen', conversation_id: conversationId });
}

export function answerInvitation(accepted) {
  const invite = chat.invitation.value;
  if (!invite) return;
  sendNow({ type: accepted ? 'invitation.accept' : 'invitation.decline',
                       invitation_id: invite.invitation_id });
  chat.invitation.value = null;
  if (accepted) chat.phase.value = 'requesting';
}

// Page views wait for the socket; on each (re)connect they go first.
export function pageView(view) {
  pageViews.push(view);
  pageViews = pageViews.slice(-20);
  flushPageViews();
}

function flushPageViews() {
  while (pageViews.length && connection?.sendNow({ type: 'page.view', ...pageViews[0] })) pageViews.shift();
}

export const isEmbedded = embedded;
