// The visitor resource: a new visitor, or a fresh token for a returning one
// (issue 9 contract, "Returning visitors").
import { request } from './http.mjs';

// -> {visitor_id, token, key?} (key: the secret that brings this visitor back later).
export function createVisitor() {
  return request('POST', '/api/v1/visitors', { body: { channel: 'web' } });
}

// -> {visitor_id, token, key}; 401 for a wrong key, 404 while the center lacks the call.
export function tradeKey(visitorId, key) {
  return request('POST', `/api/v1/visitors/${encodeURIComponent(visitorId)}/tokens`, { body: { key } });
}
