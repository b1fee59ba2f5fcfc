// Browsing visitors (refreshed every few seconds while the list is shown), visitor
// profiles for the side panel, and the outcome of the agent's invitations.
import { signal } from '@preact/signals';
import { onlineVisitors, profile } from '../api/visitors.mjs';

const REFRESH_MS = 4000;

export const online = signal([]);
export const onlineAvailable = signal(true);
export const profiles = signal({}); // visitor_id -> profile | 'missing'
export const invitations = signal({}); // visitor_id -> {state: sent|accepted|declined|expired|withdrawn|failed, code?}

let timer = null;

async function refreshOnline() {
  try {
    const answer = await onlineVisitors();
    onlineAvailable.value = answer !== null;
    online.value = answer?.visitors || [];
  } catch {
    onlineAvailable.value = false;
  }
}

export function watchOnline() {
  if (timer) return;
  refreshOnline();
  timer = setInterval(refreshOnline, REFRESH_MS);
}

export function unwatchOnline() {
  clearInterval(timer);
  timer = null;
}

export async function loadProfile(visitorId, { fresh = false } = {}) {
  const known = profiles.value[visitorId];
  if (!visitorId || known === 'missing' || (!fresh && known)) return; // 'missing': asked, none there
  let answer = null;
  try { answer = await profile(visitorId); } catch { answer = null; }
  profiles.value = { ...profiles.value, [visitorId]: answer || 'missing' };
}

export function invitation(visitorId, state, extra = {}) {
  invitations.value = { ...invitations.value, [visitorId]: { state, ...extra } };
}

export function byVisitor(visitorId) {
  return online.value.find((v) => v.visitor_id === visitorId);
}
