// Agents (坐席): every staff account with its role, cap and skill groups; an admin creates
// accounts, changes caps, groups and levels, resets passwords and disables accounts.
// A change counts from the next offer (serve/api/agents.py).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/admin.mjs';
import { isAdmin } from '../state/session.mjs';
import { AgentDialog } from './AgentDialog.mjs';
import { attempt, useLoad } from './useLoad.mjs';

export function AgentsPage() {
  const [agents, reload] = useLoad(api.agents);
  const [groups] = useLoad(api.skillGroups);
  const [departments] = useLoad(api.departments);
  const [editing, setEditing] = useState(null); // an agent, or {} for a new one
  const admin = isAdmin();
  if (!agents) return html`<p class="empty">${t('console.loading')}</p>`;
  return html`
    <section aria-labelledby="agents-title">
      <div class="page-head">
        <h2 id="agents-title">${t('console.nav.agents')}</h2>
        ${admin && html`<button class="primary" onClick=${() => setEditing({})}>${t('console.agents.new')}</button>`}
      </div>
      <table class="grid">
        <thead><tr>
          <th>${t('console.agents.name')}</th><th>${t('console.agents.username')}</th>
          <th>${t('console.agents.role')}</th><th>${t('console.agents.cap')}</th>
          <th>${t('console.agents.groups')}</th><th>${t('console.agents.department')}</th>
          <th>${t('console.agents.status')}</th><th></th>
        </tr></thead>
        <tbody>
          ${agents.map((a) => html`
            <tr class=${a.disabled ? 'disabled' : ''} data-agent=${a.username}>
              <td>${a.display_name}</td><td>${a.username}</td><td>${t(`console.role.${a.role}`)}</td>
              <td class="number">${a.max_concurrent}</td>
              <td>${a.skill_groups.map((g) => html`<span class="tag">${g.name} · ${g.level}</span> `)}</td>
              <td>${(departments || []).find((d) => d.id === a.department_id)?.name || '—'}</td>
              <td>${a.disabled ? t('console.agents.disabled') : t(`console.presence.${a.status}`)}</td>
              <td class="actions">${admin && html`
                <button class="small" onClick=${() => setEditing(a)}>${t('console.edit')}</button>
                <button class="small" onClick=${() => attempt(() => api.setDisabled(a.agent_id, !a.disabled),
                  { reload, done: a.disabled ? t('console.agents.enabled') : t('console.agents.disabledNow') })}>
                  ${a.disabled ? t('console.agents.enable') : t('console.agents.disable')}</button>`}</td>
            </tr>`)}
        </tbody>
      </table>
      ${editing && html`<${AgentDialog} agent=${editing} groups=${groups || []} departments=${departments || []}
        onClose=${() => setEditing(null)} onSaved=${() => { setEditing(null); reload(); }} />`}
    </section>`;
}
