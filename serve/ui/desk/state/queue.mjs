// The waiting lines of the agent's skill groups: the `waiting` frames (and GET
// /api/v1/queue once at start) replace a group's list; wait times tick locally.
import { computed, signal } from '@preact/signals';
import { waitingLists } from '../api/conversations.mjs';

export const groups = signal({}); // skill_group -> {count, entries, at}
export const now = signal(Date.now());

setInterval(() => { now.value = Date.now(); }, 1000);

export function replace({ skill_group: group, count, entries }) {
  groups.value = { ...groups.value, [group]: { count, entries, at: Date.now() } };
}

export async function load() {
  try {
    const answer = await waitingLists();
    for (const list of answer.skill_groups) replace(list);
  } catch { /* the waiting frames fill it in */ }
}

export function reset() { groups.value = {}; }

// Seconds this visitor has waited, as of now (waited_s was true when the list came).
export function waitedNow(entry, listAt) {
  return entry.waited_s + (now.value - listAt) / 1000;
}

export const entries = computed(() => Object.entries(groups.value)
  .flatMap(([group, list]) => list.entries.map((entry) => ({ ...entry, skill_group: group, listAt: list.at })))
  .sort((a, b) => b.priority - a.priority || waitedSort(b) - waitedSort(a)));

function waitedSort(entry) { return entry.waited_s + (Date.now() - entry.listAt) / 1000; }

export const count = computed(() => Object.values(groups.value).reduce((sum, list) => sum + list.count, 0));
