// The widget's look (title, greeting, offline text, colour, side, logo, agent icon), its
// navigation menu (the businesses a visitor picks from before chatting, each a skill
// group) and the code a site pastes to embed it. Empty fields fall back to the widget's defaults
// in the visitor's language.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/admin.mjs';
import { isAdmin, tell } from '../state/session.mjs';
import { attempt, useLoad } from './useLoad.mjs';

const TEXTS = [['title', 60], ['greeting', 500], ['offline_message', 500], ['logo_url', 500], ['agent_icon_url', 500]];

function MenuEditor({ menu, groups, disabled, onChange }) {
  const change = (index, key, value) => onChange(menu.map((e, i) => (i === index ? { ...e, [key]: value } : e)));
  return html`
    <fieldset class="menu-editor"><legend>${t('console.widget.menu')}</legend>
      <p class="soft">${t('console.widget.menuExplain')}</p>
      ${menu.map((entry, index) => html`
        <div class="menu-entry" role="group" aria-label=${t('console.widget.menuEntry', { n: index + 1 })}>
          <select aria-label=${t('console.reports.skillGroup')} value=${entry.skill_group} disabled=${disabled}
                  onChange=${(e) => change(index, 'skill_group', e.target.value)}>
            ${groups.map((g) => html`<option value=${g.name}>${g.display_name || g.name}</option>`)}
          </select>
          <input aria-label=${t('console.widget.menuLabel')} required maxlength="60" value=${entry.label} disabled=${disabled}
                 onInput=${(e) => change(index, 'label', e.target.value)} />
          <input aria-label=${t('console.widget.menuLabelZh')} maxlength="60" value=${entry.label_zh || ''} disabled=${disabled}
                 onInput=${(e) => change(index, 'label_zh', e.target.value)} />
          ${!disabled && html`<button type="button" class="small danger" onClick=${() => onChange(menu.filter((_, i) => i !== index))}>
            ${t('console.routing.remove')}</button>`}
        </div>`)}
      ${!disabled && groups.length > 0 && menu.length < 20 && html`<button type="button" class="small"
        onClick=${() => onChange([...menu, { skill_group: groups[0].name, label: '', label_zh: '' }])}>
        ${t('console.widget.menuAdd')}</button>`}
    </fieldset>`;
}

export function WidgetPage() {
  const [settings, reload] = useLoad(api.widget);
  const [embed] = useLoad(api.embedCode);
  const [groups] = useLoad(api.skillGroups);
  const [form, setForm] = useState(null);
  const admin = isAdmin();
  useEffect(() => { if (settings) setForm({ ...settings, menu: settings.menu || [] }); }, [settings]);
  if (!form) return html`<p class="empty">${t('console.loading')}</p>`;
  const set = (key) => (event) => setForm({ ...form, [key]: event.target.value });
  async function save(event) {
    event.preventDefault();
    const body = {};
    for (const [key] of TEXTS) body[key] = form[key]?.trim() ? form[key].trim() : null;
    body.color = form.color || null;
    body.position = form.position || null;
    body.menu = form.menu.length ? form.menu.map((e) => ({ skill_group: e.skill_group, label: e.label.trim(),
      ...(e.label_zh?.trim() ? { label_zh: e.label_zh.trim() } : {}) })) : null;
    await attempt(() => api.setWidget(body), { done: t('console.saved'), reload });
  }
  const copy = async () => {
    try { await navigator.clipboard.writeText(embed.html); tell('info', t('console.widget.copied')); } catch { /* denied */ }
  };
  return html`
    <section aria-labelledby="widget-title">
      <div class="page-head"><h2 id="widget-title">${t('console.nav.widget')}</h2></div>
      <form class="hours" onSubmit=${save} aria-label=${t('console.nav.widget')}>
        ${TEXTS.map(([key, max]) => html`
          <label>${t(`console.widget.${key}`)}
            ${max > 60 && !key.endsWith('url') ? html`<textarea name=${key} rows="2" maxlength=${max} disabled=${!admin}
                value=${form[key] || ''} onInput=${set(key)}></textarea>`
              : html`<input name=${key} maxlength=${max} disabled=${!admin} value=${form[key] || ''} onInput=${set(key)} />`}
          </label>`)}
        <label>${t('console.widget.color')}
          <input name="color" type="color" disabled=${!admin} value=${form.color || '#1f6feb'} onInput=${set('color')} /></label>
        <label>${t('console.widget.position')}
          <select name="position" disabled=${!admin} value=${form.position || 'right'} onChange=${set('position')}>
            <option value="right">${t('console.widget.right')}</option><option value="left">${t('console.widget.left')}</option>
          </select></label>
        <${MenuEditor} menu=${form.menu} groups=${groups || []} disabled=${!admin}
          onChange=${(menu) => setForm({ ...form, menu })} />
        ${admin && html`<div class="dialog-actions"><button class="primary" type="submit">${t('console.save')}</button></div>`}
      </form>
      ${embed && html`
        <h3>${t('console.widget.embed')}</h3>
        <p class="soft">${t('console.widget.embedExplain')}</p>
        <textarea class="code" readonly rows="3" aria-label=${t('console.widget.embed')} value=${embed.html}></textarea>
        <p><button onClick=${copy}>${t('console.widget.copy')}</button>
          <a href=${embed.chat_url} target="_blank" rel="noopener">${t('console.widget.chatLink')}</a></p>`}
    </section>`;
}
