// The pool of left messages (留言记录) and the mail server its replies go out through.
import { request } from 'kefu/http.mjs';

const path = (id, action = '') => `/api/v1/left-messages/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

export function list(filters) {
  const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== '' && v != null));
  params.set('limit', '100');
  return request('GET', `/api/v1/left-messages?${params}`);
}

export const get = (id) => request('GET', path(id));
export const assign = (id, agentId) => request('POST', path(id, 'assign'), { agent_id: agentId });
export const reply = (id, body) => request('POST', path(id, 'reply'), body);
export const close = (id) => request('POST', path(id, 'close'));
export const emailServer = () => request('GET', '/api/v1/admin/email');
export const saveEmailServer = (body) => request('PUT', '/api/v1/admin/email', body);
