// Chats with colleagues (内部对话): one per colleague, numbered by the center. The
// socket brings new messages and read marks; REST brings the unread counts when the
// desk (re)connects and the messages of a chat when it is opened or has a gap, so a
// message missed while the socket was away still arrives, once.
import { computed, signal } from '@preact/signals';
import { newClientMsgId } from 'kefu/connection.mjs';
import { messages as fetchMessages, threads as fetchThreads } from '../api/staff_chat.mjs';

export const chats = signal({}); // colleagueId -> chat
export const openId = signal(null); // the colleague whose chat is shown
let send = () => false; // (frame, {mustArrive}) -> sent; set by the socket
let myId = null;
let onNews = () => {}; // (colleagueId, seq): a colleague's new message, for the sound

export function configure({ sender, agentId, news }) {
  send = sender;
  myId = agentId;
  onNews = news;
}

export function forAgent(agentId) {
  myId = agentId;
  chats.value = {};
  openId.value = null;
}

function blank(id) {
  return { id, name: '', messages: [], lastSeq: 0, unread: 0, loaded: false, loading: false };
}

export function get(id) { return chats.value[id]; }

function update(id, change) {
  const current = chats.value[id] || blank(id);
  const next = { ...current, ...(typeof change === 'function' ? change(current) : change) };
  chats.value = { ...chats.value, [id]: next };
  return next;
}

const colleagueOf = (message) => (message.sender.id === myId ? message.recipient_id : message.sender.id);
const shown = (id) => openId.value === id && document.visibilityState === 'visible';
const highest = (list) => list.reduce((max, m) => Math.max(max, m.seq || 0), 0);

function place(list, message) {
  const others = list.filter((m) => !(m.seq === message.seq || (!m.seq && m.client_msg_id === message.client_msg_id)));
  return [...others, message].sort((a, b) => (a.seq || Infinity) - (b.seq || Infinity) || (a.localAt || 0) - (b.localAt || 0));
}

// What the center says I have: after every (re)connect.
export async function load() {
  let answer;
  try { answer = await fetchThreads(); } catch { return; }
  for (const thread of answer.threads) {
    const id = thread.colleague.id;
    const chat = update(id, (c) => ({ name: thread.colleague.display_name || c.name, unread: thread.unread,
      lastSeq: Math.max(c.lastSeq, thread.last_seq),
      messages: c.loaded ? c.messages : place(c.messages, thread.last_message) }));
    if (chat.loaded && highest(chat.messages) < thread.last_seq) catchUp(id);
  }
  if (openId.value) markRead(openId.value);
}

async function catchUp(id) {
  const chat = get(id) || blank(id);
  if (chat.loading) return;
  update(id, { loading: true });
  try {
    // Opened the first time: the newest page. After that: everything after what I have.
    const page = chat.loaded
      ? await fetchMessages(id, { afterSeq: highest(chat.messages), limit: 200 })
      : await fetchMessages(id, { beforeSeq: Math.max(chat.lastSeq, highest(chat.messages)) + 1, limit: 100 });
    update(id, (c) => ({ loaded: true, loading: false,
      messages: page.messages.reduce(place, c.messages),
      lastSeq: Math.max(c.lastSeq, highest(page.messages)) }));
  } catch {
    update(id, { loading: false });
    return;
  }
  if (shown(id)) markRead(id);
}

export function open(id, name) {
  openId.value = id;
  if (name) update(id, (c) => ({ name: c.name || name }));
  const chat = get(id);
  if (!chat?.loaded) catchUp(id);
  else markRead(id);
}

export function close() { openId.value = null; }

export function markRead(id) {
  const chat = get(id);
  if (!chat) return;
  const seq = Math.max(chat.lastSeq, highest(chat.messages));
  if (chat.unread || seq > (chat.readSent || 0)) {
    if (seq > 0) send({ type: 'staff.read', colleague_id: id, seq });
    update(id, { unread: 0, readSent: seq });
  }
}

// A message from the socket: a colleague's, or mine from another tab.
export function received(message) {
  const id = colleagueOf(message);
  const before = get(id) || blank(id);
  if (before.messages.some((m) => m.seq === message.seq)) return;
  const gap = before.loaded && message.seq > Math.max(before.lastSeq, highest(before.messages)) + 1;
  const theirs = message.sender.id !== myId;
  update(id, (c) => ({ messages: place(c.messages, message), lastSeq: Math.max(c.lastSeq, message.seq),
    name: theirs ? message.sender.display_name || c.name : c.name,
    unread: theirs && !shown(id) ? c.unread + 1 : theirs ? c.unread : 0 }));
  if (gap) catchUp(id);
  if (theirs && shown(id)) markRead(id);
  if (theirs) onNews(id, message.seq);
}

export function acknowledged({ colleague_id: id, client_msg_id: clientMsgId, seq }) {
  update(id, (c) => {
    const pending = c.messages.find((m) => m.client_msg_id === clientMsgId && !m.seq);
    const messages = pending
      ? place(c.messages, { ...pending, seq, ts: new Date().toISOString() }) : c.messages;
    return { lastSeq: Math.max(c.lastSeq, seq), messages, readSent: Math.max(c.readSent || 0, seq) };
  });
}

export function failed(clientMsgId, code) {
  for (const chat of Object.values(chats.value)) {
    if (chat.messages.some((m) => m.client_msg_id === clientMsgId && !m.seq)) {
      update(chat.id, { messages: chat.messages.map((m) => (m.client_msg_id === clientMsgId ? { ...m, failed: code } : m)) });
      return true;
    }
  }
  return false;
}

// Read in another tab of mine.
export function readElsewhere({ colleague_id: id, seq }) {
  update(id, (c) => (seq >= Math.max(c.lastSeq, highest(c.messages)) ? { unread: 0, readSent: seq } : {}));
}

export function write(id, body, senderName) {
  const clientMsgId = newClientMsgId();
  update(id, (c) => ({ messages: [...c.messages, { client_msg_id: clientMsgId, body, recipient_id: id,
    sender: { kind: 'agent', id: myId, display_name: senderName }, localAt: Date.now() }] }));
  send({ type: 'staff.message', to: id, client_msg_id: clientMsgId, body }, { mustArrive: true });
}

export const totalUnread = computed(() => Object.values(chats.value).reduce((sum, c) => sum + (c.unread || 0), 0));

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && openId.value) markRead(openId.value);
});
