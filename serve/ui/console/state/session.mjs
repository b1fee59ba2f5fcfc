// Who is signed in to the console (kefu/staff_session.mjs, its own token key) and the
// account (GET /api/v1/agents/me).
import { signal } from '@preact/signals';
import { staffSession } from 'kefu/staff_session.mjs';

export const me = signal(null); // {agent_id, username, display_name, role, ...}

export const { token, signedOutReason, notice, signIn, signOut, tell } = staffSession('kefu.console.token', {
  onSignOut: () => { me.value = null; },
});

export function isAdmin() {
  return me.value?.role === 'admin';
}
