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

// Work hours: the center's (`group` null) or a skill group's own; null hours = always
// open (the center) or the center's hours (a group).
const hoursPath = (group) => (group ? `/api/v1/admin/skill-groups/${encodeURIComponent(group)}/work-hours`
  : '/api/v1/admin/work-hours');
export const workHours = async (group) => (await request('GET', hoursPath(group))).work_hours;
export const setWorkHours = (group, hours) => request('PUT', hoursPath(group), hours);
export const clearWorkHours = (group) => request('DELETE', hoursPath(group));

export const widget = () => request('GET', '/api/v1/admin/widget');
export const setWidget = (settings) => request('PUT', '/api/v1/admin/widget', settings);
export const embedCode = () => request('GET', '/api/v1/admin/widget/embed-code');

export const cannedReplies = async () => (await request('GET', '/api/v1/canned-replies')).replies;
export const createCannedReply = (body) => request('POST', '/api/v1/canned-replies', body);
export const changeCannedReply = (id, body) => request('PATCH', `/api/v1/canned-replies/${encodeURIComponent(id)}`, body);
export const removeCannedReply = (id) => request('DELETE', `/api/v1/canned-replies/${encodeURIComponent(id)}`);

export const center = () => request('GET', '/api/v1/admin/center');
export const changeCenter = (change) => request('PATCH', '/api/v1/admin/center', change);

export const departments = async () => (await request('GET', '/api/v1/admin/departments')).departments;
export const createDepartment = (body) => request('POST', '/api/v1/admin/departments', body);
export const changeDepartment = (id, body) => request('PATCH', `/api/v1/admin/departments/${id}`, body);
export const removeDepartment = (id) => request('DELETE', `/api/v1/admin/departments/${id}`);

export const sensitiveWords = async () => (await request('GET', '/api/v1/admin/sensitive-words')).words;
export const setSensitiveWords = (words) => request('PUT', '/api/v1/admin/sensitive-words', { words });
