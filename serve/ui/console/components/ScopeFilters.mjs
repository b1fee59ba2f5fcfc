// The filters the reports and the chat records share: the skill group, the agent and the
// department picked from the caller's own (the server lists a supervisor's departments
// only), and the channel. Lists are read each time the page opens, so a group or an
// agent added meanwhile is there.
import { html } from 'htm/preact';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/admin.mjs';
import { departmentOptions, treeOrder } from './departmentTree.mjs';
import { useLoad } from './useLoad.mjs';

export const CHANNELS = ['web', 'wechat', 'app', 'api'];
const none = async () => [];

function Choice({ name, label, value, onChange, options }) {
  return html`<label>${label}
    <select name=${name} value=${value} onChange=${onChange}>
      <option value="">${t('console.records.any')}</option>
      ${options.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
    </select></label>`;
}

export function ScopeFilters({ form, set, withDepartment = false }) {
  const [groups] = useLoad(api.skillGroups);
  const [agents] = useLoad(api.agents);
  const [departments] = useLoad(withDepartment ? api.departments : none);
  return html`
    <${Choice} name="skill_group" label=${t('console.reports.skillGroup')} value=${form.skill_group}
      onChange=${set('skill_group')}
      options=${(groups || []).map((g) => ({ value: g.name, label: g.display_name && g.display_name !== g.name
        ? `${g.display_name} (${g.name})` : g.name }))} />
    <${Choice} name="agent_id" label=${t('console.reports.agent')} value=${form.agent_id} onChange=${set('agent_id')}
      options=${(agents || []).map((a) => ({ value: a.agent_id, label: a.display_name || a.username }))} />
    ${withDepartment && html`<${Choice} name="department_id" label=${t('console.agents.department')}
      value=${form.department_id} onChange=${set('department_id')}
      options=${departmentOptions({ tree: treeOrder(departments || []) })} />`}
    <${Choice} name="channel" label=${t('console.reports.channel')} value=${form.channel} onChange=${set('channel')}
      options=${CHANNELS.map((c) => ({ value: c, label: t(`console.channel.${c}`) }))} />`;
}
