// The desk's one workspace socket (kefu/connection.mjs: lossless, resumes after a
// reconnect) and what each frame does to the stores. Components never see frames.
import { signal } from '@preact/signals';
import { t } from 'kefu/i18n.mjs';
import { openStaffSocket } from 'kefu/staff_socket.mjs';
import { conversation as fetchConversation } from './api/conversations.mjs';
import * as conversations from './state/conversations.mjs';
import * as directory from './state/directory.mjs';
import * as queue from './state/queue.mjs';
import * as session from './state/session.mjs';
import * as sounds from './state/sounds.mjs';
import * as visitors from './state/visitors.mjs';
import * as canned from './state/canned.mjs';
import * as colleagues from './state/colleagues.mjs';
import * as leftMessages from './state/left_messages.mjs';
import { BoundedMap } from 'kefu/storage.mjs';
import { errorText } from './errors.mjs';
import * as requests from './requests.mjs';

export const connectionState = signal('closed');
let connection = null;
// Visitor names from `assigned` frames, so a reload still shows them.
const names = new BoundedMap('kefu.desk.visitor-names', 500);

export function current() { return connection; }

export function connect(token) {
  disconnect();
  connection = openStaffSocket(token, { state: connectionState, isCurrent: (c) => c === connection,
    onFrame: receive, onExpired: () => session.signOut('expired') });
}

export function disconnect() {
  connection?.close();
  connection = null;
  connectionState.value = 'closed';
}

// The staff chat's frames: a message must arrive (the outbox keeps it until staff.ack).
function sendToColleagues(frame, { mustArrive = false } = {}) {
  if (!connection) return false;
  if (mustArrive) { connection.sendMessage(frame); return true; }
  return connection.sendNow(frame);
}

function follow(conversationId) {
  connection?.follow(conversationId, 0);
}

async function describe(conversationId) {
  try {
    const row = await fetchConversation(conversationId);
    const name = names.get(row.visitor_id) || '';
    conversations.update(conversationId, (c) => ({ visitorId: row.visitor_id, channel: row.channel,
      skillGroup: row.skill_group || '', visitorName: c.visitorName || name,
      state: row.status === 'ended' ? 'ended' : c.state }));
    visitors.loadProfile(row.visitor_id).then(() => {
      const profile = visitors.profiles.value[row.visitor_id];
      if (profile && profile !== 'missing' && profile.name) {
        conversations.update(conversationId, (c) => ({ visitorName: c.visitorName || profile.name }));
      }
    });
  } catch { /* shown without details */ }
}

function known(conversationId, role, lastSeq) {
  const existed = Boolean(conversations.get(conversationId));
  conversations.update(conversationId, (c) => ({ role, state: 'open',
    lastActivity: c.lastActivity || Date.now() - 1 }));
  sounds.baseline(conversationId, lastSeq);
  if (!existed) describe(conversationId);
  follow(conversationId);
}

let welcomed = null; // the agent this page last set up its stores for

function welcome(frame) {
  const first = welcomed !== frame.agent_id;
  if (first) {
    welcomed = frame.agent_id;
    conversations.forAgent(frame.agent_id);
    directory.forAgent(frame.agent_id);
    sounds.forAgent(frame.agent_id);
    colleagues.forAgent(frame.agent_id);
    leftMessages.reset();
    colleagues.configure({ agentId: frame.agent_id, sender: sendToColleagues,
      news: (colleagueId, seq) => sounds.announceMessage(`staff:${colleagueId}`, seq) });
  }
  session.me.value = { ...(session.me.value || {}), ...frame };
  session.status.value = { status: frame.status, active: frame.conversations.length,
    max_concurrent: frame.max_concurrent };
  for (const c of frame.conversations) known(c.conversation_id, 'owner', c.last_seq);
  for (const c of frame.participating) known(c.conversation_id, c.role, c.last_seq);
  if (!conversations.activeId.value) {
    const ids = [...frame.conversations, ...frame.participating].map((c) => c.conversation_id);
    const before = conversations.remembered();
    if (ids.length) conversations.select(ids.includes(before) ? before : ids[0]);
  }
  queue.load(); // waiting frames missed while the socket was away
  colleagues.load(); // colleagues' messages too
  leftMessages.load(); // and the left messages assigned meanwhile
  directory.refresh();
  if (first) canned.load();
}

function assigned(frame) {
  const id = frame.conversation_id;
  const isNew = !conversations.get(id) || conversations.get(id).state !== 'open';
  if (frame.visitor?.name) names.set(frame.visitor.id, frame.visitor.name);
  conversations.update(id, (c) => ({ visitorId: frame.visitor?.id || c.visitorId,
    visitorName: frame.visitor?.name || c.visitorName, channel: frame.channel || c.channel,
    skillGroup: frame.skill_group || c.skillGroup, state: 'open', role: 'owner',
    transferredFrom: frame.transferred_from?.agent_id || c.transferredFrom,
    assignedSeq: frame.last_seq ?? c.assignedSeq, lastActivity: Date.now(),
    events: c.events.map((e) => (e.afterSeq === null ? { ...e, afterSeq: frame.last_seq ?? 0 } : e)) }));
  if (isNew) follow(id);
  visitors.loadProfile(frame.visitor?.id);
  sounds.announceConversation(id, frame.transferred_from ? 'transfer' : 'conversation', frame.last_seq || 0);
  // Shown at once unless the agent is in another live conversation.
  if (conversations.active.value?.state !== 'open') conversations.select(id);
}

// A line in the conversation (a transfer, a colleague joining) after the messages so
// far; afterSeq null: after the history that is still coming (placed by `assigned`).
function note(conversationId, line, afterSeq) {
  conversations.update(conversationId, (c) => ({ events: [...c.events, { ...line, at: Date.now(),
    afterSeq: afterSeq !== undefined ? afterSeq : c.messages.reduce((max, m) => Math.max(max, m.seq || 0), 0) }] }));
}

function transferred(frame) {
  const myId = session.me.value?.agent_id;
  const id = frame.conversation_id;
  if (frame.to?.display_name) directory.remember(frame.to.agent_id, frame.to.display_name);
  const toMe = frame.to?.agent_id === myId;
  const assignedSeq = conversations.get(id)?.assignedSeq;
  note(id, { kind: 'transferred', from: frame.from?.agent_id, by: frame.by?.agent_id,
    to: frame.to?.display_name || frame.to?.skill_group || frame.to?.agent_id, note: frame.note },
  toMe ? assignedSeq ?? null : undefined);
  if (toMe) {
    conversations.update(id, { transferredFrom: frame.by?.agent_id || frame.from?.agent_id });
  } else if (frame.from?.agent_id === myId && conversations.get(id)?.role === 'owner') {
    conversations.update(id, { state: 'away', typing: '' });
  }
}

function participant(frame, joined) {
  const id = frame.conversation_id;
  const who = frame.participant;
  const myId = session.me.value?.agent_id;
  if (who.id === myId) {
    if (joined) {
      const existed = Boolean(conversations.get(id));
      conversations.update(id, { role: who.role, state: 'open', lastActivity: Date.now() });
      if (!existed) { describe(id); follow(id); }
    } else if (who.role !== 'owner') {
      conversations.update(id, { state: 'away', typing: '' });
    }
    return;
  }
  conversations.update(id, (c) => {
    const participants = { ...c.participants };
    if (joined) participants[who.id] = who; else delete participants[who.id];
    return { participants };
  });
  note(id, { kind: joined ? 'joined' : 'left', who: who.id, role: who.role });
}

// A left message handed to me (by a supervisor: news; taken by me in another tab: not),
// taken from me, or taken by a colleague from my group's new ones: the lists are read again.
const announcedLeft = new Set(); // the toast once, though the frame may come on two topics
function leftAssigned(frame) {
  const myId = session.me.value?.agent_id;
  const handing = `${frame.conversation_id}:${frame.previous || ''}`;
  if (frame.agent_id === myId && frame.by !== myId && !announcedLeft.has(handing)) {
    announcedLeft.add(handing);
    sounds.announceConversation(`left:${handing}`, 'conversation');
    session.tell('info', t('desk.left.assignedToYou'));
  }
  leftMessages.soon();
}

function done(frame) {
  requests.answered(frame);
  if (frame.request === 'invite') visitors.invitation(frame.visitor_id, 'sent', { invitationId: frame.invitation_id });
  else if (frame.request === 'transfer') session.tell('info', t('desk.transfer.done'));
  else if (frame.request === 'participant.invite') session.tell('info', t('desk.invite.done'));
}

// The requests the desk must tie to their errors name themselves (requests.mjs).
function failed(frame) {
  const request = requests.answered(frame);
  // A typing indicator over the frame budget is simply not shown; the next one goes.
  if (request?.kind === 'typing' && frame.code === 'rate_limited') return;
  if (frame.client_msg_id && colleagues.failed(frame.client_msg_id, frame.code)) {
    session.tell('error', errorText(frame.code, frame.message));
    return;
  }
  if (frame.client_msg_id) conversations.failPending(frame.client_msg_id, frame.code);
  if (request?.kind === 'invite') visitors.invitation(request.visitorId, 'failed', { code: frame.code });
  session.tell('error', errorText(frame.code, frame.message));
}

function receive(frame) {
  switch (frame.type) {
    case 'welcome': welcome(frame); break;
    case 'status': session.status.value = frame; break;
    case 'assigned': assigned(frame); break;
    case 'message': {
      const message = frame.message;
      conversations.addMessage(message);
      if (message.sender?.kind === 'visitor') sounds.announceMessage(message.conversation_id, message.seq);
      break;
    }
    case 'ack': conversations.acknowledge(frame); break;
    case 'typing.preview':
      if (conversations.get(frame.conversation_id)) conversations.update(frame.conversation_id, { typing: frame.text });
      break;
    case 'waiting': queue.replace(frame); break;
    case 'ended':
      conversations.update(frame.conversation_id, { state: 'ended', endedBy: frame.by, typing: '' });
      break;
    case 'transferred': transferred(frame); break;
    case 'participant.joined': participant(frame, true); break;
    case 'participant.left': participant(frame, false); break;
    case 'done': done(frame); break;
    case 'staff.message': colleagues.received(frame.message); break;
    case 'staff.ack': colleagues.acknowledged(frame); break;
    case 'staff.read': colleagues.readElsewhere(frame); break;
    case 'error': failed(frame); break;
    case 'invitation.closed':
      visitors.invitation(frame.visitor_id, frame.outcome, { conversationId: frame.conversation_id });
      break;
    case 'left_message.assigned': leftAssigned(frame); break;
    case 'left_message.new': leftMessages.soon(); break;
    case 'rated':
      if (!conversations.get(frame.conversation_id)) break;
      conversations.update(frame.conversation_id, { rating: { score: frame.score, comment: frame.comment } });
      break;
    default: // frames of a newer center this desk does not know yet
  }
}
