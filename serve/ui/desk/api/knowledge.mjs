// The knowledge base as the desk uses it: the staff search (published articles, public
// and internal), one article's text to insert, and making a draft of a conversation.
import { request } from 'kefu/http.mjs';

const BASE = '/api/v1/knowledge';

export async function search(q, { limit = 5 } = {}) {
  const query = new URLSearchParams({ q, limit: String(limit) });
  return (await request('GET', `${BASE}/search?${query}`)).results;
}

export const article = (id) => request('GET', `${BASE}/articles/${encodeURIComponent(id)}`);
export const version = (id, n) => request('GET', `${BASE}/articles/${encodeURIComponent(id)}/versions/${n}`);
export const promote = (conversationId) => request('POST', `${BASE}/articles/promote`, { conversation_id: conversationId });
