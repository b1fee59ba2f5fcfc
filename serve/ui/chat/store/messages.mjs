// The messages of the visitor's current conversation: stored ones by seq (each seq
// once, whatever mix of live frames, acks and resumes brought it) and the visitor's
// own ones not acknowledged yet, by client_msg_id.
import { computed, signal } from '@preact/signals';

const stored = signal(new Map()); // seq -> message
const pending = signal(new Map()); // client_msg_id -> message without seq

export const messageList = computed(() => [
  ...[...stored.value.values()].sort((a, b) => a.seq - b.seq),
  ...pending.value.values(),
]);

function withEntry(map, key, value) {
  const next = new Map(map);
  next.set(key, value);
  return next;
}

function without(map, key) {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
}

// The visitor wrote it; shown at once as "sending".
export function addPending(clientMsgId, body, attachments = []) {
  pending.value = withEntry(pending.value, clientMsgId, {
    key: `c-${clientMsgId}`, client_msg_id: clientMsgId, body, attachments,
    sender: { kind: 'visitor' }, ts: new Date().toISOString(), pending: true,
  });
}

export function pendingMessage(clientMsgId) {
  return pending.value.get(clientMsgId);
}

// The center will not take them (the conversation ended first): shown as not delivered.
export function failPending() {
  const ids = [...pending.value.keys()];
  pending.value = new Map([...pending.value].map(([id, m]) => [id, { ...m, failed: true }]));
  return ids;
}

export function dropPending(clientMsgId) {
  pending.value = without(pending.value, clientMsgId);
}

// True when the seq is new to the list.
export function received(message) {
  pending.value = without(pending.value, message.client_msg_id);
  if (stored.value.has(message.seq)) return false;
  stored.value = withEntry(stored.value, message.seq, { ...message, key: `s-${message.seq}` });
  return true;
}

export function acknowledged({ client_msg_id: clientMsgId, conversation_id: conversationId, seq }) {
  const mine = pending.value.get(clientMsgId);
  if (!mine) return;
  received({ ...mine, pending: false, seq, conversation_id: conversationId });
}

// Messages of a conversation not ours yet, while we wait for the answer to our request:
// the bot's greeting may overtake the bot.serving that names its conversation.
let early = [];
const EARLY_KEPT = 20;

export function holdEarly(message) {
  early = [...early, message].slice(-EARLY_KEPT);
}

// The request's answer named this conversation: what came before it is its.
export function takeEarly(conversationId) {
  for (const message of early) if (message.conversation_id === conversationId) received(message);
  early = [];
}

// A new conversation: the old one's messages go (the visitor's unsent ones stay,
// they are waiting for it).
export function clearStored() {
  stored.value = new Map();
}

export function clearMessages() {
  stored.value = new Map();
  pending.value = new Map();
}
