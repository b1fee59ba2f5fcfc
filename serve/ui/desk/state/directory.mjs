// Transfer and invitation targets (GET /api/v1/directory) and the agent's three most
// recent transfer targets, kept per agent in localStorage as shortcuts.
import { signal } from '@preact/signals';
import { directory as fetchDirectory } from '../api/directory.mjs';
import { read, write } from 'kefu/storage.mjs';

export const tree = signal(null); // {groups: [...]} | null while unknown
export const available = signal(true);
export const recent = signal([]);
// agent_id -> display_name, for "transferred by ..." lines and message senders
const names = signal({});

let recentKey = 'kefu.desk.recent.anonymous';

export function forAgent(agentId) {
  recentKey = `kefu.desk.recent.${agentId}`;
  recent.value = read(recentKey, []);
}

export async function refresh() {
  try {
    const answer = await fetchDirectory();
    available.value = answer !== null;
    tree.value = answer;
    const known = { ...names.value };
    for (const group of answer?.groups || []) {
      for (const agent of group.agents) known[agent.agent_id] = agent.display_name;
    }
    names.value = known;
  } catch {
    available.value = false;
  }
}

export function remember(agentId, displayName) {
  if (agentId && displayName && names.value[agentId] !== displayName) {
    names.value = { ...names.value, [agentId]: displayName };
  }
}

export function agentName(agentId) {
  return names.value[agentId] || null;
}

// target: {agent_id, display_name} or {skill_group, display_name}
export function used(target) {
  const same = (t) => (target.agent_id ? t.agent_id === target.agent_id : t.skill_group === target.skill_group);
  recent.value = [target, ...recent.value.filter((t) => !same(t))].slice(0, 3);
  write(recentKey, recent.value);
}
