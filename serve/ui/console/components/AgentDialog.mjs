// Creating or changing an agent: name, role, the cap of concurrent conversations, skill
// groups with a level each (1-10; the ACD prefers higher levels), and a new password.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/admin.mjs';
import { departmentOptions, treeOrder } from './departmentTree.mjs';
import { attempt } from './useLoad.mjs';

const ROLES = ['agent', 'supervisor', 'admin'];

export function AgentDialog({ agent, groups, departments, onClose, onSaved }) {
  const isNew = !agent.agent_id;
  const dialog = useRef(null);
  const [form, setForm] = useState({
    username: agent.username || '', display_name: agent.display_name || '', role: agent.role || 'agent',
    max_concurrent: agent.max_concurrent || 5, password: '', department_id: agent.department_id ?? '',
    levels: Object.fromEntries((agent.skill_groups || []).map((g) => [g.name, g.level])),
  });
  useEffect(() => { dialog.current?.showModal(); }, []);
  const set = (key) => (event) => setForm({ ...form, [key]: event.target.value });
  const toggle = (name, on) => {
    const levels = { ...form.levels };
    if (on) levels[name] = levels[name] || 1; else delete levels[name];
    setForm({ ...form, levels });
  };

  async function save(event) {
    event.preventDefault();
    const body = { display_name: form.display_name.trim(), role: form.role,
      max_concurrent: Number(form.max_concurrent),
      department_id: form.department_id === '' ? null : Number(form.department_id),
      skill_groups: Object.entries(form.levels).map(([name, level]) => ({ name, level: Number(level) })) };
    if (form.password) body.password = form.password;
    const saved = await attempt(() => (isNew
      ? api.createAgent({ ...body, username: form.username.trim(), password: form.password })
      : api.changeAgent(agent.agent_id, body)), { done: t('console.saved') });
    if (saved) onSaved();
  }

  return html`
    <dialog class="form-dialog" ref=${dialog} onClose=${onClose} aria-labelledby="agent-dialog-title">
      <form onSubmit=${save}>
        <h2 id="agent-dialog-title">${isNew ? t('console.agents.new') : t('console.agents.editTitle', { name: agent.display_name })}</h2>
        ${isNew && html`<label>${t('console.agents.username')}
          <input name="username" required pattern="[A-Za-z0-9_.@\\-]+" maxlength="64" value=${form.username}
                 onInput=${set('username')} /></label>`}
        <label>${t('console.agents.name')}
          <input name="display_name" required maxlength="200" value=${form.display_name} onInput=${set('display_name')} /></label>
        <label>${t('console.agents.role')}
          <select name="role" value=${form.role} onChange=${set('role')}>
            ${ROLES.map((role) => html`<option value=${role}>${t(`console.role.${role}`)}</option>`)}
          </select></label>
        <label>${t('console.agents.cap')}
          <input name="max_concurrent" type="number" min="1" max="100" required value=${form.max_concurrent}
                 onInput=${set('max_concurrent')} /></label>
        <label>${t('console.agents.department')}
          <select name="department_id" value=${form.department_id} onChange=${set('department_id')}>
            <option value="">${t('console.agents.noDepartment')}</option>
            ${departmentOptions({ tree: treeOrder(departments) }).map((o) => html`<option value=${o.value}>${o.label}</option>`)}
          </select></label>
        <fieldset><legend>${t('console.agents.groups')}</legend>
          ${groups.length === 0 && html`<p class="soft">${t('console.agents.noGroups')}</p>`}
          ${groups.map((g) => html`
            <div class="group-level">
              <label><input type="checkbox" name=${`group-${g.name}`} checked=${g.name in form.levels}
                            onChange=${(e) => toggle(g.name, e.target.checked)} /> ${g.display_name || g.name}</label>
              ${g.name in form.levels && html`
                <label class="soft">${t('console.agents.level')}
                  <input type="number" min="1" max="10" name=${`level-${g.name}`} value=${form.levels[g.name]}
                         onInput=${(e) => setForm({ ...form, levels: { ...form.levels, [g.name]: e.target.value } })} /></label>`}
            </div>`)}
        </fieldset>
        <label>${isNew ? t('console.agents.password') : t('console.agents.newPassword')}
          <input name="password" type="password" autocomplete="new-password" minlength="6" maxlength="200"
                 required=${isNew} value=${form.password} onInput=${set('password')} /></label>
        <div class="dialog-actions">
          <button type="button" onClick=${() => dialog.current?.close()}>${t('console.cancel')}</button>
          <button class="primary" type="submit">${t('console.save')}</button>
        </div>
      </form>
    </dialog>`;
}
