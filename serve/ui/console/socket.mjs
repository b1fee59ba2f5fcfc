// The console's socket (/ws/agent, as the supervisor's own account): supervision frames
// out, the watched conversation's messages and the monitor's figures in. Lossless across
// reconnects like the desk's (kefu/connection.mjs resumes what it follows).
import { signal } from '@preact/signals';
import { newClientMsgId } from 'kefu/connection.mjs';
import { t } from 'kefu/i18n.mjs';
import { openStaffSocket } from 'kefu/staff_socket.mjs';
import { conversation } from './api/records.mjs';
import { errorText } from './errors.mjs';
import * as session from './state/session.mjs';
import * as watching from './state/watching.mjs';

export const connectionState = signal('closed');
let connection = null;
const listeners = new Set(); // other stores' frame handlers (the monitor)
// What this console said, until its ack: the sending socket gets no echo of its message.
const said = new Map();

export function onFrame(listener) { listeners.add(listener); return () => listeners.delete(listener); }

export function connect(token) {
  disconnect();
  connection = openStaffSocket(token, { state: connectionState, isCurrent: (c) => c === connection,
    onFrame: receive, onExpired: () => session.signOut('expired'),
    onOpen: () => { for (const listener of listeners) listener({ type: 'console.open' }); } });
}

export function disconnect() {
  connection?.close();
  connection = null;
  connectionState.value = 'closed';
}

// `quiet`: a frame sent again on every (re)connect anyway (monitor.watch) needs no toast.
export function send(frame, { quiet = false } = {}) {
  if (!connection || !connection.sendNow(frame)) {
    if (!quiet) session.tell('error', t('console.error.offline'));
    return false;
  }
  return true;
}

export function follow(conversationId, lastSeq) { connection?.follow(conversationId, lastSeq); }
export function unfollow(conversationId) { connection?.unfollow(conversationId); }

// A whisper (internal: agents and supervisors only) or a barge-in message (public).
export function say(conversationId, body, internal) {
  if (!connection) return;
  const frame = { type: 'message', conversation_id: conversationId, client_msg_id: newClientMsgId(),
    body, ...(internal ? { visibility: 'internal' } : {}) };
  said.set(frame.client_msg_id, frame);
  connection.sendMessage(frame);
}

const DONE = {
  supervise: () => t('console.supervise.started'),
  takeover: () => t('console.supervise.tookOver'),
  transfer: () => t('console.supervise.transferred'),
};

function receive(frame) {
  for (const listener of listeners) listener(frame);
  switch (frame.type) {
    case 'message': watching.received(frame.message); break;
    case 'ack': {
      const mine = said.get(frame.client_msg_id);
      said.delete(frame.client_msg_id);
      if (mine && !frame.duplicate) {
        watching.received({ conversation_id: frame.conversation_id, seq: frame.seq, body: mine.body,
          visibility: mine.visibility, ts: new Date().toISOString(),
          sender: { kind: 'agent', id: session.me.value?.agent_id } });
      }
      break;
    }
    case 'typing.preview': watching.previewed(frame.conversation_id, frame.text); break;
    case 'ended': watching.ended(frame.conversation_id); break;
    case 'transferred': if (frame.to?.agent_id) watching.owner(frame.conversation_id, frame.to.agent_id); break;
    case 'participant.joined':
      if (frame.participant?.id === session.me.value?.agent_id && frame.participant.role === 'supervisor') {
        watching.supervising(frame.conversation_id, frame.participant.mode);
      }
      break;
    case 'assigned':
      if (frame.agent?.id) watching.owner(frame.conversation_id, frame.agent.id);
      break;
    case 'done':
      if (DONE[frame.request]) session.tell('info', DONE[frame.request]());
      // A supervisor who only watches gets no frame of the new owner or the new line: read it.
      if (frame.request === 'transfer') {
        conversation(frame.conversation_id).then((row) => watching.replaced(frame.conversation_id, row), () => {});
      }
      break;
    case 'error':
      if (frame.client_msg_id) said.delete(frame.client_msg_id);
      session.tell('error', errorText(frame.code, frame.message)); break;
    default: break;
  }
}
