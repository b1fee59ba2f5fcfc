// Departments (部门) as a tree: a supervisor of a department sees only its agents,
// conversations and figures and those of the departments under it (README
// "Departments"). Admins add, rename, move and remove them; a department with
// sub-departments, agents or skill groups is kept (the center says which).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/admin.mjs';
import { isAdmin } from '../state/session.mjs';
import { departmentOptions, treeOrder } from './departmentTree.mjs';
import { attempt, useLoad } from './useLoad.mjs';

function DepartmentForm({ department, tree, onDone }) {
  const [name, setName] = useState(department.name || '');
  const [parent, setParent] = useState(department.parent_id ?? '');
  async function save(event) {
    event.preventDefault();
    const body = { name: name.trim(), parent_id: parent === '' ? null : Number(parent) };
    const saved = await attempt(() => (department.id ? api.changeDepartment(department.id, body)
      : api.createDepartment(body)), { done: t('console.saved') });
    if (saved) onDone();
  }
  return html`
    <form class="inline-form" onSubmit=${save} aria-label=${t('console.departments.form')}>
      <label>${t('console.departments.name')}<input name="name" required maxlength="200" value=${name}
             onInput=${(e) => setName(e.target.value)} /></label>
      <label>${t('console.departments.parent')}
        <select name="parent_id" value=${parent} onChange=${(e) => setParent(e.target.value)}>
          <option value="">${t('console.departments.top')}</option>
          ${departmentOptions({ tree: tree.filter((d) => d.id !== department.id) })
            .map((o) => html`<option value=${o.value}>${o.label}</option>`)}
        </select></label>
      <button class="primary" type="submit">${t('console.save')}</button>
      <button type="button" onClick=${onDone}>${t('console.cancel')}</button>
    </form>`;
}

export function DepartmentsPage() {
  const [departments, reload] = useLoad(api.departments);
  const [editing, setEditing] = useState(null);
  const admin = isAdmin();
  if (!departments) return html`<p class="empty">${t('console.loading')}</p>`;
  const tree = treeOrder(departments);
  const done = () => { setEditing(null); reload(); };
  return html`
    <section aria-labelledby="departments-title">
      <div class="page-head"><h2 id="departments-title">${t('console.nav.departments')}</h2>
        ${admin && html`<button class="primary" onClick=${() => setEditing({})}>${t('console.departments.new')}</button>`}</div>
      <p class="soft">${t('console.departments.explain')}</p>
      ${editing && html`<${DepartmentForm} department=${editing} tree=${tree} onDone=${done} />`}
      ${tree.length === 0 ? html`<p class="empty">${t('console.departments.none')}</p>` : html`
        <table class="grid departments">
          <thead><tr><th>${t('console.departments.name')}</th><th class="number">${t('console.departments.agents')}</th><th></th></tr></thead>
          <tbody>${tree.map((d) => html`
            <tr data-department=${d.name}>
              <td><span style=${`padding-left: ${d.depth * 20}px`}>${d.depth ? '└ ' : ''}${d.name}</span></td>
              <td class="number">${d.agent_count}</td>
              <td class="actions">${admin && html`
                <button class="small" onClick=${() => setEditing(d)}>${t('console.edit')}</button>
                <button class="small danger" onClick=${() => attempt(() => api.removeDepartment(d.id),
                  { reload, done: t('console.departments.removed') })}>${t('console.routing.remove')}</button>`}</td>
            </tr>`)}</tbody>
        </table>`}
    </section>`;
}
