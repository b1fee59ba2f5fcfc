// /api/v1/canned-replies: mine (personal) and the center's public ones.
import { optional, request } from 'kefu/http.mjs';

export function cannedReplies() {
  return optional('GET', '/api/v1/canned-replies');
}

export function createCannedReply({ category, title, body, scope = 'personal' }) {
  return request('POST', '/api/v1/canned-replies', { scope, category, title, body });
}

export function deleteCannedReply(id) {
  return request('DELETE', `/api/v1/canned-replies/${encodeURIComponent(id)}`);
}
