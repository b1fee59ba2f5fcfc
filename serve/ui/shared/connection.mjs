// The websocket of a web UI, lossless across reconnects (PROTOCOL.md, DESIGN.md decision 2).
//
// What the peers' users complain of (messages missing after a reconnect, or shown
// twice) is handled here once for both apps:
// - every message carries its conversation's seq; the connection remembers, per
//   conversation, the highest seq below which it has seen everything (`upTo`) and the
//   seqs seen above it, so a message seen before is dropped and a gap is asked for;
// - on every (re)connect and whenever the tab becomes visible again it sends
//   `resume` from `upTo` for each conversation it follows; the server's `resumed`
//   answer closes the gap (seqs this reader may not see, internal notes for a
//   visitor, never arrive and are not waited for);
// - a message sent but not yet acknowledged stays in the outbox and is sent again
//   after a reconnect with the same client_msg_id, which the server de-duplicates;
// - a socket that stops answering pings is treated as lost (a dropped network
//   leaves a half-open socket that never reports closing).
import { signal } from '@preact/signals';

const PING_EVERY_MS = 20000;
const PONG_WITHIN_MS = 8000;
const GAP_WAIT_MS = 1500;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10000;

export function newClientMsgId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `m-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

class SeqTracker {
  constructor(upTo = 0) { this.upTo = upTo; this.above = new Set(); }

  // True when `seq` is new; records it.
  see(seq) {
    if (seq <= this.upTo || this.above.has(seq)) return false;
    this.above.add(seq);
    while (this.above.has(this.upTo + 1)) { this.above.delete(this.upTo + 1); this.upTo += 1; }
    return true;
  }

  // The server sent everything this reader may see up to `lastSeq`.
  resumedTo(lastSeq) {
    if (lastSeq <= this.upTo) return;
    this.upTo = lastSeq;
    for (const seq of [...this.above]) if (seq <= this.upTo) this.above.delete(seq);
    while (this.above.has(this.upTo + 1)) { this.above.delete(this.upTo + 1); this.upTo += 1; }
  }

  get hasGap() { return this.above.size > 0; }
}

export class Connection {
  // url(): the websocket URL with a fresh token; onFrame(frame): every frame but the
  // bookkeeping ones, messages only once each; onOpen(): after each (re)connect.
  constructor({ url, onFrame, onOpen = () => {}, onClose = () => {} }) {
    this.url = url;
    this.onFrame = onFrame;
    this.onOpen = onOpen;
    this.onClose = onClose;
    this.state = signal('connecting'); // connecting | open | lost | closed
    this.everOpened = false;
    this.trackers = new Map();
    this.outbox = new Map(); // client_msg_id -> frame, until its ack
    this.socket = null;
    this.retryMs = RETRY_MIN_MS;
    this.stopped = false;
    this.gapTimers = new Map();
    this.onVisible = () => { if (document.visibilityState === 'visible') this.refresh(); };
    this.onOnline = () => this.refresh();
    this.onOffline = () => this.drop('offline');
    document.addEventListener('visibilitychange', this.onVisible);
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    this.open();
  }

  // Follow a conversation from `upTo` (0: its whole history is wanted).
  follow(conversationId, upTo = 0) {
    if (!this.trackers.has(conversationId)) {
      this.trackers.set(conversationId, new SeqTracker(upTo));
      this.sendNow({ type: 'resume', conversation_id: conversationId, after_seq: upTo });
    }
  }

  unfollow(conversationId) { this.trackers.delete(conversationId); }

  lastSeq(conversationId) { return this.trackers.get(conversationId)?.upTo ?? 0; }

  // A frame that must arrive (a chat message): kept until acknowledged.
  sendMessage(frame) {
    const withId = { ...frame, client_msg_id: frame.client_msg_id || newClientMsgId() };
    this.outbox.set(withId.client_msg_id, withId);
    this.sendNow(withId);
    return withId.client_msg_id;
  }

  // A frame that only matters now (typing, status, pick): dropped while offline.
  sendNow(frame) {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  pending() { return [...this.outbox.values()]; }

  // After the server refused the token (close 4401/4403) and the caller got a new
  // one: connect again, keeping what is followed and the outbox.
  reopen() {
    if (this.socket || !this.stopped || this.state.value === 'closed') return;
    this.stopped = false;
    this.retryMs = RETRY_MIN_MS;
    this.open();
  }

  close() {
    this.stopped = true;
    document.removeEventListener('visibilitychange', this.onVisible);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    clearTimeout(this.retryTimer);
    this.stopHeartbeat();
    this.socket?.close();
    this.state.value = 'closed';
  }

  // Called when the tab is shown again or the network comes back: reconnect at once
  // if the socket is gone, else make sure nothing was missed while hidden.
  refresh() {
    if (this.stopped) return;
    if (!this.socket || this.socket.readyState > WebSocket.OPEN) {
      clearTimeout(this.retryTimer);
      this.retryMs = RETRY_MIN_MS;
      this.open();
    } else if (this.socket.readyState === WebSocket.OPEN) {
      this.resumeAll();
      this.ping();
    }
  }

  open() {
    if (this.stopped) return;
    let socket;
    try {
      socket = new WebSocket(this.url());
    } catch (error) {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = RETRY_MIN_MS;
      this.state.value = 'open';
      this.everOpened = true;
      this.startHeartbeat();
      this.resumeAll();
      for (const frame of this.outbox.values()) socket.send(JSON.stringify(frame));
      this.onOpen();
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => {
      if (socket !== this.socket) return;
      this.stopHeartbeat();
      this.socket = null;
      if (this.stopped) return;
      this.state.value = 'lost';
      this.onClose(event);
      if (event.code === 4401 || event.code === 4403) { this.stopped = true; return; } // token refused
      this.scheduleRetry();
    };
  }

  scheduleRetry() {
    if (this.stopped) return;
    this.state.value = this.everOpened ? 'lost' : 'connecting';
    const wait = this.retryMs * (0.75 + Math.random() * 0.5);
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), wait);
  }

  resumeAll() {
    for (const [conversationId, tracker] of this.trackers) {
      this.sendNow({ type: 'resume', conversation_id: conversationId, after_seq: tracker.upTo });
    }
  }

  startHeartbeat() {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => this.ping(), PING_EVERY_MS);
  }

  stopHeartbeat() {
    clearInterval(this.heartbeat);
    clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  ping() {
    if (this.pongTimer || !this.sendNow({ type: 'ping' })) return;
    const socket = this.socket;
    this.pongTimer = setTimeout(() => {
      this.pongTimer = null;
      if (socket === this.socket) this.drop('no pong');
    }, PONG_WITHIN_MS);
  }

  // The network is gone (the browser says so, or pings go unanswered): a half-open
  // socket may take minutes to report closing, so it is given up at once and a new
  // one tried (the outbox and the seqs carry over).
  drop(reason) {
    const socket = this.socket;
    if (!socket || this.stopped) return;
    socket.onclose = socket.onmessage = socket.onopen = null;
    try { socket.close(4000, reason); } catch { /* already closing */ }
    this.socket = null;
    this.stopHeartbeat();
    this.state.value = 'lost';
    this.scheduleRetry();
  }

  receive(data) {
    let frame;
    try { frame = JSON.parse(data); } catch { return; }
    switch (frame.type) {
      case 'pong':
        clearTimeout(this.pongTimer);
        this.pongTimer = null;
        return;
      case 'message': {
        const message = frame.message;
        const tracker = this.tracker(message.conversation_id);
        if (!tracker.see(message.seq)) return; // seen before: a resume overlapped
        this.outbox.delete(message.client_msg_id); // ours, from another tab or retry
        if (tracker.hasGap) this.askForGap(message.conversation_id);
        break;
      }
      case 'ack': {
        this.outbox.delete(frame.client_msg_id);
        const tracker = this.tracker(frame.conversation_id);
        if (!tracker.see(frame.seq)) frame = { ...frame, duplicate: true };
        if (tracker.hasGap) this.askForGap(frame.conversation_id);
        break;
      }
      case 'resumed':
        this.tracker(frame.conversation_id).resumedTo(frame.last_seq);
        break;
      case 'staff.ack': // a message to a colleague (the desk's staff chat) is committed
        this.outbox.delete(frame.client_msg_id);
        break;
      case 'error':
        // A message refused for good (too long, conversation closed) is not retried.
        if (frame.client_msg_id) this.outbox.delete(frame.client_msg_id);
        break;
      default:
    }
    this.onFrame(frame);
  }

  tracker(conversationId) {
    if (!this.trackers.has(conversationId)) this.trackers.set(conversationId, new SeqTracker());
    return this.trackers.get(conversationId);
  }

  askForGap(conversationId) {
    if (this.gapTimers.has(conversationId)) return;
    // A frame overtaken on the way arrives within moments; ask only if it does not.
    this.gapTimers.set(conversationId, setTimeout(() => {
      this.gapTimers.delete(conversationId);
      const tracker = this.trackers.get(conversationId);
      if (tracker?.hasGap) {
        this.sendNow({ type: 'resume', conversation_id: conversationId, after_seq: tracker.upTo });
      }
    }, GAP_WAIT_MS));
  }
}
