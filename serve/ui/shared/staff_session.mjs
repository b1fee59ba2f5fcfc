// Who is signed in to a staff page (the desk, the console): the token in localStorage
// under the page's own key (the page's tabs share it; signing out of the console leaves
// a supervisor's desk alone), why the last sign-out happened, and a short toast.
import { signal } from '@preact/signals';
import { configure } from 'kefu/http.mjs';
import { read, remove, write } from 'kefu/storage.mjs';

const TOAST_MS = 6000;

// `onSignOut()` clears what the page kept of the account.
export function staffSession(tokenKey, { onSignOut = () => {} } = {}) {
  const token = signal(read(tokenKey, null));
  const signedOutReason = signal(null);
  const notice = signal(null); // {kind: 'error'|'info', text}

  function signIn(answer) {
    write(tokenKey, answer.token);
    signedOutReason.value = null;
    token.value = answer.token;
  }

  function signOut(reason = null) {
    remove(tokenKey);
    onSignOut();
    signedOutReason.value = reason;
    token.value = null;
  }

  // Another tab signed in or out: follow it.
  window.addEventListener('storage', (event) => {
    if (event.key === tokenKey) token.value = read(tokenKey, null);
  });
  configure({ token: () => token.value, onUnauthorized: () => signOut('expired') });

  let noticeTimer;
  function tell(kind, text) {
    clearTimeout(noticeTimer);
    notice.value = { kind, text };
    noticeTimer = setTimeout(() => { notice.value = null; }, TOAST_MS);
  }

  return { token, signedOutReason, notice, signIn, signOut, tell };
}
