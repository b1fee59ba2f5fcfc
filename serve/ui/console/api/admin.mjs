// The admin API the settings pages change (README "Admin API"): agents, skill groups,
// routing rules. Lists are read whole, page by page (next_offset).
import { request } from 'kefu/http.mjs';

async function everything(path, key) {
  const out = [];
  let offset = 0;
  for (;;) {
    const joiner = path.includes('?') ? '&' : '?';
    const page = await request('GET', `${path}${joiner}limit=200&offset=${offset}`);
    out.push(...page[key]);
    if (page.next_offset == null) return out;
    offset = page.next_offset;
  }
}

export const agents = () => everything('/api/v1/admin/agents', 'agents');
export const createAgent = (body) => request('POST', '/api/v1/admin/agents', body);
export const changeAgent = (id, body) => request('PATCH', `/api/v1/admin/agents/${encodeURIComponent(id)}`, body);
export const setDisabled = (id, disabled) =>
  request('POST', `/api/v1/admin/agents/${encodeURIComponent(id)}/${disabled ? 'disable' : 'enable'}`);

export const skillGroups = () => everything('/api/v1/admin/skill-groups', 'skill_groups');
export const createSkillGroup = (body) => request('POST', '/api/v1/admin/skill-groups', body);
export const changeSkillGroup = (name, body) =>
  request('PATCH', `/api/v1/admin/skill-groups/${encodeURIComponent(name)}`, body);

export const routingRules = async () => (await request('GET', '/api/v1/admin/routing-rules')).routing_rules;
export const addRoutingRule = (rule) => request('POST', '/api/v1/admin/routing-rules', rule);
export const replaceRoutingRules = (rules) => request('PUT', '/api/v1/admin/routing-rules', { routing_rules: rules });
export const removeRoutingRule = (position) => request('DELETE', `/api/v1/admin/routing-rules/${position}`);
