// GET /api/v1/conversations/{id} and GET /api/v1/queue.
import { request } from 'kefu/http.mjs';

export function conversation(conversationId) {
  return request('GET', `/api/v1/conversations/${encodeURIComponent(conversationId)}`);
}

export function waitingLists() {
  return request('GET', '/api/v1/queue');
}
