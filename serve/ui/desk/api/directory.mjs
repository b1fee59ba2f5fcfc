// GET /api/v1/directory: transfer and invitation targets with live status and load.
import { optional } from 'kefu/http.mjs';

export function directory() {
  return optional('GET', '/api/v1/directory');
}
