// Canned replies (常用语): the agent's personal ones and the center's public ones.
import { computed, signal } from '@preact/signals';
import { cannedReplies, createCannedReply } from '../api/canned.mjs';

export const replies = signal([]);
export const available = signal(true);

export async function load() {
  try {
    const answer = await cannedReplies();
    available.value = answer !== null;
    replies.value = answer?.replies || [];
  } catch {
    available.value = false;
  }
}

export async function add(reply) {
  const created = await createCannedReply(reply);
  replies.value = [...replies.value, created];
  return created;
}

// The replies whose title, body or category contain `query`, by category, mine before
// the center's public ones.
export function matching(query) {
  const q = query.trim().toLowerCase();
  return replies.value
    .filter((r) => !q || [r.title, r.body, r.category].some((s) => (s || '').toLowerCase().includes(q)))
    .sort((a, b) => (a.category || '').localeCompare(b.category || '')
      || (a.scope === b.scope ? 0 : a.scope === 'personal' ? -1 : 1)
      || (a.title || '').localeCompare(b.title || ''));
}

export const categories = computed(() => [...new Set(replies.value.map((r) => r.category || ''))].sort());
