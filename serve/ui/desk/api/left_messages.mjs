// The pool of left messages (留言记录) as an agent reaches it: GET /api/v1/left-messages
// (the center answers only mine and the unassigned ones of my skill groups), one with its
// messages, take (assign to myself), reply, close.
import { request } from 'kefu/http.mjs';

const path = (id, action = '') => `/api/v1/left-messages/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

export function list(state) {
  return request('GET', `/api/v1/left-messages?${new URLSearchParams({ state, limit: '200' })}`);
}

export const get = (id) => request('GET', path(id));
export const take = (id, agentId) => request('POST', path(id, 'assign'), { agent_id: agentId });
export const reply = (id, body) => request('POST', path(id, 'reply'), body);
export const close = (id) => request('POST', path(id, 'close'));
