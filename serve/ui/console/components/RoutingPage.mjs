// Routing rules (路由规则), in order: the first matching rule that names a group decides
// the group, every matching rule adds its priority bonus (actors/routing/rules.py). A
// change counts from the next chat request.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/admin.mjs';
import { isAdmin } from '../state/session.mjs';
import { attempt, useLoad } from './useLoad.mjs';

const LIST_FIELDS = ['regions', 'channels', 'requested_groups'];

function words(text) {
  const list = text.split(/[,，\s]+/).map((w) => w.trim()).filter(Boolean);
  return list.length ? list : undefined;
}

function describe(rule) {
  const parts = [];
  for (const field of LIST_FIELDS) {
    if (rule.when?.[field]?.length) parts.push(t(`console.routing.when.${field}`, { values: rule.when[field].join(', ') }));
  }
  if (rule.when?.min_level != null) parts.push(t('console.routing.when.min_level', { n: rule.when.min_level }));
  if (rule.when?.max_level != null) parts.push(t('console.routing.when.max_level', { n: rule.when.max_level }));
  return parts.length ? parts.join(' · ') : t('console.routing.always');
}

function strip(rule) {
  return { when: rule.when || {}, then: rule.then || {} };
}

function NewRule({ groups, onDone }) {
  const [form, setForm] = useState({ regions: '', channels: '', requested_groups: '', min_level: '',
    max_level: '', skill_group: '', priority_bonus: 0 });
  const set = (key) => (event) => setForm({ ...form, [key]: event.target.value });
  async function save(event) {
    event.preventDefault();
    const when = {};
    for (const field of LIST_FIELDS) if (words(form[field])) when[field] = words(form[field]);
    if (form.min_level !== '') when.min_level = Number(form.min_level);
    if (form.max_level !== '') when.max_level = Number(form.max_level);
    const then = { priority_bonus: Number(form.priority_bonus) || 0,
      ...(form.skill_group ? { skill_group: form.skill_group } : {}) };
    if (await attempt(() => api.addRoutingRule({ when, then }), { done: t('console.saved') })) onDone();
  }
  return html`
    <form class="inline-form" onSubmit=${save} aria-label=${t('console.routing.new')}>
      <label>${t('console.routing.regions')}<input name="regions" value=${form.regions} onInput=${set('regions')}
             placeholder=${t('console.routing.listHint')} /></label>
      <label>${t('console.routing.channels')}<input name="channels" value=${form.channels} onInput=${set('channels')} /></label>
      <label>${t('console.routing.requested')}<input name="requested_groups" value=${form.requested_groups}
             onInput=${set('requested_groups')} /></label>
      <label>${t('console.routing.minLevel')}<input name="min_level" type="number" min="0" max="9" value=${form.min_level}
             onInput=${set('min_level')} /></label>
      <label>${t('console.routing.maxLevel')}<input name="max_level" type="number" min="0" max="9" value=${form.max_level}
             onInput=${set('max_level')} /></label>
      <label>${t('console.routing.thenGroup')}
        <select name="skill_group" value=${form.skill_group} onChange=${set('skill_group')}>
          <option value="">${t('console.routing.keepGroup')}</option>
          ${groups.map((g) => html`<option value=${g.name}>${g.display_name || g.name}</option>`)}
        </select></label>
      <label>${t('console.routing.bonus')}<input name="priority_bonus" type="number" min="-100" max="100"
             value=${form.priority_bonus} onInput=${set('priority_bonus')} /></label>
      <button class="primary" type="submit">${t('console.routing.add')}</button>
      <button type="button" onClick=${onDone}>${t('console.cancel')}</button>
    </form>`;
}

export function RoutingPage() {
  const [rules, reload] = useLoad(api.routingRules);
  const [groups] = useLoad(api.skillGroups);
  const [adding, setAdding] = useState(false);
  const admin = isAdmin();
  if (!rules) return html`<p class="empty">${t('console.loading')}</p>`;
  const move = (index, by) => {
    const order = rules.map(strip);
    const [rule] = order.splice(index, 1);
    order.splice(index + by, 0, rule);
    attempt(() => api.replaceRoutingRules(order), { reload, done: t('console.saved') });
  };
  return html`
    <section aria-labelledby="routing-title">
      <div class="page-head">
        <h2 id="routing-title">${t('console.nav.routing')}</h2>
        ${admin && !adding && html`<button class="primary" onClick=${() => setAdding(true)}>${t('console.routing.new')}</button>`}
      </div>
      <p class="soft">${t('console.routing.explain')}</p>
      ${adding && html`<${NewRule} groups=${groups || []} onDone=${() => { setAdding(false); reload(); }} />`}
      ${rules.length === 0 ? html`<p class="empty">${t('console.routing.none')}</p>` : html`
        <table class="grid">
          <thead><tr><th>#</th><th>${t('console.routing.when')}</th><th>${t('console.routing.thenGroup')}</th>
            <th>${t('console.routing.bonus')}</th><th></th></tr></thead>
          <tbody>
            ${rules.map((rule, index) => html`
              <tr data-position=${rule.position}>
                <td class="number">${rule.position}</td><td>${describe(rule)}</td>
                <td>${rule.then?.skill_group || t('console.routing.keepGroup')}</td>
                <td class="number">${rule.then?.priority_bonus || 0}</td>
                <td class="actions">${admin && html`
                  <button class="small" disabled=${index === 0} aria-label=${t('console.routing.up')}
                          onClick=${() => move(index, -1)}>↑</button>
                  <button class="small" disabled=${index === rules.length - 1} aria-label=${t('console.routing.down')}
                          onClick=${() => move(index, 1)}>↓</button>
                  <button class="small danger" onClick=${() => attempt(() => api.removeRoutingRule(rule.position),
                    { reload, done: t('console.routing.removed') })}>${t('console.routing.remove')}</button>`}</td>
              </tr>`)}
          </tbody>
        </table>`}
    </section>`;
}
