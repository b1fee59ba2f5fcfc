// Who is signed in to the desk: the token (kefu/staff_session.mjs; the agent's tabs share
// it, so one of them can be the leader that plays sounds), the welcome's facts and the
// status.
import { signal } from '@preact/signals';
import { staffSession } from 'kefu/staff_session.mjs';

export const me = signal(null); // {agent_id, role, skill_groups, max_concurrent, display_name?}
export const status = signal(null); // {status, active, max_concurrent}

export const { token, signedOutReason, notice, signIn, signOut, tell } = staffSession('kefu.desk.token', {
  onSignOut: () => { me.value = null; status.value = null; },
});
