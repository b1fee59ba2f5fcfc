// Who is signed in to the console: the token (its own key, so signing out of the console
// leaves a supervisor's desk alone), the account, and the toast of the last outcome.
import { signal } from '@preact/signals';
import { configure } from 'kefu/http.mjs';
import { read, remove, write } from 'kefu/storage.mjs';

const TOKEN_KEY = 'kefu.console.token';

export const token = signal(read(TOKEN_KEY, null));
export const me = signal(null); // GET /api/v1/agents/me: {agent_id, username, display_name, role, ...}
export const notice = signal(null); // {kind: 'error'|'info', text}
export const signedOutReason = signal(null);

export function signIn(answer) {
  write(TOKEN_KEY, answer.token);
  signedOutReason.value = null;
  token.value = answer.token;
}

export function signOut(reason = null) {
  remove(TOKEN_KEY);
  me.value = null;
  signedOutReason.value = reason;
  token.value = null;
}

window.addEventListener('storage', (event) => {
  if (event.key === TOKEN_KEY) token.value = read(TOKEN_KEY, null);
});

configure({ token: () => token.value, onUnauthorized: () => signOut('expired') });

let noticeTimer;
export function tell(kind, text) {
  clearTimeout(noticeTimer);
  notice.value = { kind, text };
  noticeTimer = setTimeout(() => { notice.value = null; }, 6000);
}

export function isAdmin() {
  return me.value?.role === 'admin';
}
