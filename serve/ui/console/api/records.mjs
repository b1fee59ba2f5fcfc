// Chat records (会话记录): the search, one conversation and its messages.
import { request } from 'kefu/http.mjs';

export function search(filters, offset = 0) {
  const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== '' && v != null));
  params.set('limit', '50');
  params.set('offset', String(offset));
  return request('GET', `/api/v1/conversations?${params}`);
}

export const conversation = (id) => request('GET', `/api/v1/conversations/${encodeURIComponent(id)}`);

export const messages = async (id) =>
  (await request('GET', `/api/v1/conversations/${encodeURIComponent(id)}/messages`)).messages;
