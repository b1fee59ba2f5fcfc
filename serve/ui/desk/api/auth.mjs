// GET /api/v1/agents/me (the login itself is kefu/SignIn.mjs).
import { optional } from 'kefu/http.mjs';

export function me() {
  return optional('GET', '/api/v1/agents/me');
}
