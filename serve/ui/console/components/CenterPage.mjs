// The center's own settings: its name, routing switches (default group, the returning
// visitor's last agent first, the selection policy), limits, proactive invitations
// (主动邀请: the switch, how long one stays open, the default text, the auto-invite rule)
// what may be uploaded, and the live monitor's targets and sensitive words. Each part saves on its own (PATCH /api/v1/admin/center).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/admin.mjs';
import { isAdmin } from '../state/session.mjs';
import { MonitorSettings } from './MonitorSettings.mjs';
import { attempt, useLoad } from './useLoad.mjs';

const POLICIES = ['least_loaded', 'round_robin', 'highest_level'];
const MB = 1048576;

function Part({ title, onSave, admin, children }) {
  return html`
    <form class="hours" aria-label=${title} onSubmit=${(e) => { e.preventDefault(); onSave(); }}>
      <h3>${title}</h3>
      ${children}
      ${admin && html`<div class="dialog-actions"><button class="primary" type="submit">${t('console.save')}</button></div>`}
    </form>`;
}

export function CenterPage() {
  const [settings, reload] = useLoad(api.center);
  const [groups] = useLoad(api.skillGroups);
  const [form, setForm] = useState(null);
  const admin = isAdmin();
  useEffect(() => {
    if (!settings) return;
    setForm({ ...settings, invitations: { ...settings.invitations, auto: { ...settings.invitations.auto } },
      max_mb: Math.round((settings.attachments.max_bytes / MB) * 10) / 10, types: settings.attachments.types.join('\n') });
  }, [settings]);
  if (!form) return html`<p class="empty">${t('console.loading')}</p>`;
  const save = (change) => attempt(() => api.changeCenter(change), { done: t('console.saved'), reload });
  const set = (key, value) => setForm({ ...form, [key]: value });
  const invite = (key, value) => setForm({ ...form, invitations: { ...form.invitations, [key]: value } });
  const auto = (key, value) => invite('auto', { ...form.invitations.auto, [key]: value });
  const off = !admin;
  return html`
    <section aria-labelledby="center-title" class="center-settings">
      <div class="page-head"><h2 id="center-title">${t('console.nav.center')}</h2></div>
      <${Part} title=${t('console.center.routing')} admin=${admin} onSave=${() => save({ name: form.name.trim(),
        ...(form.default_skill_group ? { default_skill_group: form.default_skill_group } : {}),
        sticky_agent: form.sticky_agent, selection_policy: form.selection_policy })}>
        <label>${t('console.center.name')}<input name="name" required maxlength="200" disabled=${off}
          value=${form.name} onInput=${(e) => set('name', e.target.value)} /></label>
        <label>${t('console.center.defaultGroup')}
          <select name="default_skill_group" disabled=${off} value=${form.default_skill_group || ''}
                  onChange=${(e) => set('default_skill_group', e.target.value)}>
            ${!form.default_skill_group && html`<option value="">—</option>`}
            ${(groups || []).map((g) => html`<option value=${g.name}>${g.display_name || g.name}</option>`)}
          </select></label>
        <label>${t('console.center.sticky')}<input type="checkbox" name="sticky_agent" disabled=${off}
          checked=${form.sticky_agent} onChange=${(e) => set('sticky_agent', e.target.checked)} /></label>
        <label>${t('console.center.policy')}
          <select name="selection_policy" disabled=${off} value=${form.selection_policy}
                  onChange=${(e) => set('selection_policy', e.target.value)}>
            ${[...new Set([...POLICIES, form.selection_policy])].map((p) => html`
              <option value=${p}>${POLICIES.includes(p) ? t(`console.center.policy.${p}`) : p}</option>`)}
          </select></label>
        <label>${t('console.center.maxOpen')}<input type="number" name="max_open" min="1" max="100" disabled=${off}
          value=${form.limits.max_open_conversations_per_visitor ?? 1}
          onInput=${(e) => set('limits', { ...form.limits, max_open_conversations_per_visitor: Number(e.target.value) })} /></label>
        <label>${t('console.center.collaboratorsSlot')}<input type="checkbox" name="collaborators_take_slot" disabled=${off}
          checked=${Boolean(form.limits.collaborators_take_slot)}
          onChange=${(e) => set('limits', { ...form.limits, collaborators_take_slot: e.target.checked })} /></label>
      <//>
      <${Part} title=${t('console.center.invitations')} admin=${admin}
               onSave=${() => save({ invitations: { ...form.invitations, ttl_s: Number(form.invitations.ttl_s),
                 auto: { ...form.invitations.auto, after_s: Number(form.invitations.auto.after_s) } } })}>
        <label>${t('console.center.invitationsOn')}<input type="checkbox" name="invitations_enabled" disabled=${off}
          checked=${form.invitations.enabled} onChange=${(e) => invite('enabled', e.target.checked)} /></label>
        <label>${t('console.center.ttl')}<input type="number" name="ttl_s" min="1" max="3600" disabled=${off}
          value=${form.invitations.ttl_s} onInput=${(e) => invite('ttl_s', e.target.value)} /></label>
        <label>${t('console.center.inviteText')}<textarea name="invitation_text" rows="2" maxlength="500" disabled=${off}
          value=${form.invitations.text} onInput=${(e) => invite('text', e.target.value)}></textarea></label>
        <label>${t('console.center.autoOn')}<input type="checkbox" name="auto_enabled" disabled=${off}
          checked=${form.invitations.auto.enabled} onChange=${(e) => auto('enabled', e.target.checked)} /></label>
        <label>${t('console.center.autoAfter')}<input type="number" name="after_s" min="0" max="86400" disabled=${off}
          value=${form.invitations.auto.after_s} onInput=${(e) => auto('after_s', e.target.value)} /></label>
        <label>${t('console.center.autoPattern')}<input name="url_pattern" maxlength="500" required disabled=${off}
          value=${form.invitations.auto.url_pattern} onInput=${(e) => auto('url_pattern', e.target.value)} /></label>
        <label>${t('console.center.autoText')}<textarea name="auto_text" rows="2" maxlength="500" disabled=${off}
          value=${form.invitations.auto.text} onInput=${(e) => auto('text', e.target.value)}></textarea></label>
      <//>
      <${Part} title=${t('console.center.uploads')} admin=${admin}
               onSave=${() => save({ attachments: { max_bytes: Math.round(Number(form.max_mb) * MB),
                 types: form.types.split(/[\s,]+/).filter(Boolean) } })}>
        <label>${t('console.center.maxMb')}<input type="number" name="max_mb" min="0.1" step="0.1" disabled=${off}
          value=${form.max_mb} onInput=${(e) => set('max_mb', e.target.value)} /></label>
        <label>${t('console.center.types')}<textarea name="types" rows="5" disabled=${off}
          value=${form.types} onInput=${(e) => set('types', e.target.value)}></textarea></label>
      <//>
      <${MonitorSettings} monitor=${settings.monitor} admin=${admin} save=${save} />
    </section>`;
}
