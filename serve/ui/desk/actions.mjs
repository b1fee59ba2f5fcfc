// What the agent does, as frames on the workspace socket (the answers come back through
// socket.mjs into the stores).
import { newClientMsgId } from 'kefu/connection.mjs';
import * as conversations from './state/conversations.mjs';
import * as directory from './state/directory.mjs';
import * as session from './state/session.mjs';
import { named } from './requests.mjs';
import { current } from './socket.mjs';
import { t } from 'kefu/i18n.mjs';

const TYPING_EVERY_MS = 2000;
const lastTyping = {};

function send(frame) {
  const sent = current()?.sendNow(frame);
  if (!sent) session.tell('error', t('desk.error.offline'));
  return sent;
}

// A public reply or (internal) a note only agents and supervisors see.
export function sendMessage(conversationId, body, { internal = false, attachments = [] } = {}) {
  const connection = current();
  if (!connection) return;
  const frame = { type: 'message', conversation_id: conversationId, body,
    client_msg_id: newClientMsgId() };
  if (internal) frame.visibility = 'internal';
  if (attachments.length) frame.attachments = attachments.map((a) => a.id);
  conversations.addPending({ conversation_id: conversationId, client_msg_id: frame.client_msg_id, body,
    visibility: internal ? 'internal' : 'public', attachments,
    sender: { kind: 'agent', id: session.me.value?.agent_id } });
  connection.sendMessage(frame);
}

// Tells the visitor the agent is typing (no text: drafts stay private), at most every 2 s.
export function typing(conversationId) {
  if (Date.now() - (lastTyping[conversationId] || 0) < TYPING_EVERY_MS) return;
  lastTyping[conversationId] = Date.now();
  current()?.sendNow(named({ type: 'typing', conversation_id: conversationId }, { kind: 'typing' }));
}

export function setStatus(status) { send({ type: 'status', status }); }

export function pick(conversationId) { send({ type: 'pick', conversation_id: conversationId }); }

export function end(conversationId) { send({ type: 'chat.end', conversation_id: conversationId }); }

// target: {agent_id, display_name} | {skill_group, display_name}
export function transfer(conversationId, target, note) {
  const to = target.agent_id ? { agent_id: target.agent_id } : { skill_group: target.skill_group };
  const frame = { type: 'transfer', conversation_id: conversationId, to };
  if (note) frame.note = note;
  if (send(frame)) directory.used(target);
}

export function inviteCollaborator(conversationId, agentId) {
  send({ type: 'participant.invite', conversation_id: conversationId, agent_id: agentId });
}

export function leave(conversationId) { send({ type: 'participant.leave', conversation_id: conversationId }); }

export function inviteVisitor(visitorId, text) {
  const frame = { type: 'invite', visitor_id: visitorId };
  if (text) frame.text = text;
  send(named(frame, { kind: 'invite', visitorId }));
}
