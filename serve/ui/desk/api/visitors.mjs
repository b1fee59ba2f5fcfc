// GET /api/v1/visitors/online and GET /api/v1/visitors/{id}/profile.
import { optional } from 'kefu/http.mjs';

export function onlineVisitors() {
  return optional('GET', '/api/v1/visitors/online');
}

export function profile(visitorId) {
  return optional('GET', `/api/v1/visitors/${encodeURIComponent(visitorId)}/profile`);
}
