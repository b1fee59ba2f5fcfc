// POST /api/v1/auth/login and GET /api/v1/agents/me.
import { optional, request } from './http.mjs';

export function login(username, password) {
  return request('POST', '/api/v1/auth/login', { username, password }, { authorized: false });
}

export function me() {
  return optional('GET', '/api/v1/agents/me');
}
