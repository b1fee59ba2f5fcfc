// Who is signed in: the token (in localStorage, so the agent's tabs share it and one of
// them can be the leader that plays sounds), the welcome's facts and the status.
import { signal } from '@preact/signals';
import { configure } from 'kefu/http.mjs';
import { read, remove, write } from 'kefu/storage.mjs';

const TOKEN_KEY = 'kefu.desk.token';

export const token = signal(read(TOKEN_KEY, null));
export const me = signal(null); // {agent_id, role, skill_groups, max_concurrent, display_name?}
export const status = signal(null); // {status, active, max_concurrent}
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
  status.value = null;
  signedOutReason.value = reason;
  token.value = null;
}

// Another tab signed in or out: follow it.
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
