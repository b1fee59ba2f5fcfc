// GET /api/v1/staff-chats (my chats with colleagues, unread counts) and a pair's messages.
import { request } from 'kefu/http.mjs';

export function threads() {
  return request('GET', '/api/v1/staff-chats');
}

export function messages(colleagueId, { afterSeq = 0, beforeSeq = null, limit = 100 } = {}) {
  const query = new URLSearchParams({ after_seq: String(afterSeq), limit: String(limit) });
  if (beforeSeq) query.set('before_seq', String(beforeSeq));
  return request('GET', `/api/v1/staff-chats/${encodeURIComponent(colleagueId)}/messages?${query}`);
}
