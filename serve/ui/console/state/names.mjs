// Staff names by account id (GET /api/v1/directory), so records and transcripts name
// agents rather than show their ids; read once per sign-in and again on an unknown id.
import { signal } from '@preact/signals';
import { optional } from 'kefu/http.mjs';

export const names = signal({});
let asked = null;

function load() {
  asked ??= optional('GET', '/api/v1/directory').then((directory) => {
    const found = {};
    for (const group of directory?.groups || []) for (const a of group.agents) found[a.agent_id] = a.display_name;
    names.value = found;
  }).catch(() => {}).finally(() => { setTimeout(() => { asked = null; }, 30000); });
}

export function agentName(agentId) {
  if (!agentId) return '';
  const name = names.value[agentId];
  if (name === undefined) load();
  return name || agentId;
}
