// Skill groups (技能组): the queues visitors wait in, with how long a visitor waits
// before the group overflows to another one (or is offered to leave a message).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/admin.mjs';
import { isAdmin } from '../state/session.mjs';
import { departmentOptions, treeOrder } from './departmentTree.mjs';
import { attempt, useLoad } from './useLoad.mjs';

function GroupForm({ group, groups, departments, onDone }) {
  const isNew = !group.name;
  const [form, setForm] = useState({ name: '', display_name: group.display_name || '',
    queue_timeout_s: group.queue_timeout_s ?? '', overflow_to: group.overflow_to || '',
    department_id: group.department_id ?? '' });
  const set = (key) => (event) => setForm({ ...form, [key]: event.target.value });
  async function save(event) {
    event.preventDefault();
    const body = { display_name: form.display_name.trim() || undefined,
      queue_timeout_s: form.queue_timeout_s === '' ? null : Number(form.queue_timeout_s),
      overflow_to: form.overflow_to || null,
      department_id: form.department_id === '' ? null : Number(form.department_id) };
    const saved = await attempt(() => (isNew ? api.createSkillGroup({ ...body, name: form.name.trim() })
      : api.changeSkillGroup(group.name, body)), { done: t('console.saved') });
    if (saved) onDone();
  }
  return html`
    <form class="inline-form" onSubmit=${save} aria-label=${isNew ? t('console.groups.new') : group.name}>
      ${isNew && html`<label>${t('console.groups.name')}
        <input name="name" required maxlength="64" value=${form.name} onInput=${set('name')} /></label>`}
      <label>${t('console.groups.displayName')}
        <input name="display_name" maxlength="200" value=${form.display_name} onInput=${set('display_name')} /></label>
      <label>${t('console.groups.timeout')}
        <input name="queue_timeout_s" type="number" min="1" value=${form.queue_timeout_s}
               onInput=${set('queue_timeout_s')} /></label>
      <label>${t('console.groups.overflow')}
        <select name="overflow_to" value=${form.overflow_to} onChange=${set('overflow_to')}>
          <option value="">${t('console.groups.noOverflow')}</option>
          ${groups.filter((g) => g.name !== group.name).map((g) => html`<option value=${g.name}>${g.display_name || g.name}</option>`)}
        </select></label>
      <label>${t('console.agents.department')}
        <select name="department_id" value=${form.department_id} onChange=${set('department_id')}>
          <option value="">${t('console.agents.noDepartment')}</option>
          ${departmentOptions({ tree: treeOrder(departments) }).map((o) => html`<option value=${o.value}>${o.label}</option>`)}
        </select></label>
      <button class="primary" type="submit">${t('console.save')}</button>
      <button type="button" onClick=${onDone}>${t('console.cancel')}</button>
    </form>`;
}

export function SkillGroupsPage() {
  const [groups, reload] = useLoad(api.skillGroups);
  const [departments] = useLoad(api.departments);
  const [editing, setEditing] = useState(null);
  const admin = isAdmin();
  if (!groups) return html`<p class="empty">${t('console.loading')}</p>`;
  const done = () => { setEditing(null); reload(); };
  return html`
    <section aria-labelledby="groups-title">
      <div class="page-head">
        <h2 id="groups-title">${t('console.nav.skill-groups')}</h2>
        ${admin && html`<button class="primary" onClick=${() => setEditing({})}>${t('console.groups.new')}</button>`}
      </div>
      ${editing && !editing.name && html`<${GroupForm} group=${editing} groups=${groups} departments=${departments || []} onDone=${done} />`}
      <table class="grid">
        <thead><tr><th>${t('console.groups.name')}</th><th>${t('console.groups.displayName')}</th>
          <th>${t('console.groups.timeout')}</th><th>${t('console.groups.overflow')}</th><th></th></tr></thead>
        <tbody>
          ${groups.map((g) => (editing?.name === g.name
            ? html`<tr><td colspan="5"><${GroupForm} group=${g} groups=${groups} departments=${departments || []} onDone=${done} /></td></tr>`
            : html`<tr data-group=${g.name}><td>${g.name}</td><td>${g.display_name}</td>
                <td class="number">${g.queue_timeout_s ?? '—'}</td><td>${g.overflow_to || '—'}</td>
                <td class="actions">${admin && html`<button class="small" onClick=${() => setEditing(g)}>${t('console.edit')}</button>`}</td></tr>`))}
        </tbody>
      </table>
    </section>`;
}
