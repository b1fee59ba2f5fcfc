// The agent's conversations: one record each, its messages in seq order, unread counts
// (remembered per conversation across reloads, so a reload counts nothing twice).
import { computed, signal } from '@preact/signals';
import { BoundedMap } from 'kefu/storage.mjs';

// state: open | ended (the visitor or agent closed it) | away (transferred on, or I left)
export const conversations = signal({});
export const activeId = signal(null);

let readSeqs = new BoundedMap('kefu.desk.read.anonymous');

export function forAgent(agentId) {
  readSeqs = new BoundedMap(`kefu.desk.read.${agentId}`);
  conversations.value = {};
  activeId.value = null;
}

function blank(id) {
  return { id, visitorId: null, visitorName: '', channel: '', skillGroup: '', role: 'owner',
    state: 'open', endedBy: null, messages: [], typing: '', unread: 0, lastActivity: 0,
    transferredFrom: null, participants: {}, rating: null, events: [] };
}

export function get(id) { return conversations.value[id]; }

export function update(id, change) {
  const current = conversations.value[id] || blank(id);
  const next = { ...current, ...(typeof change === 'function' ? change(current) : change) };
  conversations.value = { ...conversations.value, [id]: next };
  return next;
}

function visibleAndActive(id) {
  return activeId.value === id && document.visibilityState === 'visible';
}

function countsAsUnread(message, readUpTo) {
  return message.sender?.kind === 'visitor' && message.seq > readUpTo;
}

// A message from the server (or our own, acknowledged): placed by seq, once.
export function addMessage(message) {
  const id = message.conversation_id;
  update(id, (c) => {
    const pendingIndex = c.messages.findIndex((m) => !m.seq && m.client_msg_id === message.client_msg_id);
    const others = pendingIndex >= 0 ? c.messages.filter((_, i) => i !== pendingIndex) : c.messages;
    if (others.some((m) => m.seq === message.seq)) return {};
    const messages = [...others, message].sort(bySeq);
    const readUpTo = readSeqs.get(id) || 0;
    const isVisitor = message.sender?.kind === 'visitor';
    let unread = c.unread;
    if (visibleAndActive(id)) markSeqRead(id, message.seq);
    else if (countsAsUnread(message, readUpTo)) unread += 1;
    return { messages, unread, typing: isVisitor ? '' : c.typing,
      lastActivity: Math.max(c.lastActivity, Date.parse(message.ts) || Date.now()) };
  });
}

function bySeq(a, b) {
  // Pending messages (no seq yet) stay at the end in the order they were written.
  return (a.seq || Number.MAX_SAFE_INTEGER) - (b.seq || Number.MAX_SAFE_INTEGER) || (a.localAt || 0) - (b.localAt || 0);
}

export function addPending(message) {
  update(message.conversation_id, (c) => ({ messages: [...c.messages, { ...message, localAt: Date.now() }],
    lastActivity: Date.now() }));
}

export function acknowledge({ conversation_id: id, client_msg_id: clientMsgId, seq }) {
  update(id, (c) => {
    const messages = c.messages.map((m) => (m.client_msg_id === clientMsgId && !m.seq
      ? { ...m, seq, ts: m.ts || new Date().toISOString() } : m));
    return { messages: messages.filter((m, i) => messages.findIndex((o) => o.seq && o.seq === m.seq) === i || !m.seq).sort(bySeq) };
  });
  markSeqRead(id, seq);
}

export function failPending(clientMsgId, code) {
  for (const c of Object.values(conversations.value)) {
    if (c.messages.some((m) => m.client_msg_id === clientMsgId && !m.seq)) {
      update(c.id, { messages: c.messages.map((m) => (m.client_msg_id === clientMsgId ? { ...m, failed: code } : m)) });
    }
  }
}

function markSeqRead(id, seq) {
  if (seq > (readSeqs.get(id) || 0)) readSeqs.set(id, seq);
}

export function markRead(id) {
  const c = conversations.value[id];
  if (!c) return;
  const last = c.messages.reduce((max, m) => Math.max(max, m.seq || 0), 0);
  markSeqRead(id, last);
  if (c.unread) update(id, { unread: 0 });
}

const ACTIVE_KEY = 'kefu.desk.active'; // per tab: a reload shows the same conversation

export function select(id) {
  activeId.value = id;
  try { sessionStorage.setItem(ACTIVE_KEY, id || ''); } catch { /* blocked storage */ }
  if (id) markRead(id);
}

export function remembered() {
  try { return sessionStorage.getItem(ACTIVE_KEY) || null; } catch { return null; }
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && activeId.value) markRead(activeId.value);
});

// Open conversations first, most recent activity on top; the ones that ended or went
// to someone else greyed below them (as 53KF lists them).
export const ordered = computed(() => Object.values(conversations.value).sort((a, b) => {
  const openA = a.state === 'open' ? 0 : 1;
  const openB = b.state === 'open' ? 0 : 1;
  return openA - openB || b.lastActivity - a.lastActivity || a.id.localeCompare(b.id);
}));

export const totalUnread = computed(() => Object.values(conversations.value)
  .reduce((sum, c) => sum + (c.unread || 0), 0));

export const active = computed(() => (activeId.value ? conversations.value[activeId.value] : null));

// Alt+Up / Alt+Down: the previous or next conversation in the list.
export function step(offset) {
  const list = ordered.value;
  if (!list.length) return;
  const index = list.findIndex((c) => c.id === activeId.value);
  const next = index < 0 ? 0 : Math.min(list.length - 1, Math.max(0, index + offset));
  select(list[next].id);
}
