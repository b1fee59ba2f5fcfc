// The FAQ bot (智能机器人): per skill group, whether its bot answers visitors first and
// when it hands off to a person (PATCH /api/v1/admin/skill-groups/{name} {bot}); below,
// for admins, the answer provider the whole center's bot uses and a question to try.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/admin.mjs';
import { isAdmin } from '../state/session.mjs';
import { BotProviderForm } from './BotProviderForm.mjs';
import { attempt, useLoad } from './useLoad.mjs';

// A group without a bot shows what enabling it would store (actors/bot/settings.py's defaults).
const DEFAULTS = { enabled: false, name: '', greeting: '', threshold: 0.5, max_unanswered: 2,
  handoff_keywords: ['人工', '转人工', '人工客服', 'agent', 'human', 'operator'], out_of_hours: true };

function toForm(bot) {
  const settings = { ...DEFAULTS, ...(bot || {}) };
  return { ...settings, handoff_keywords: settings.handoff_keywords.join(', ') };
}

function toBot(form) {
  return { enabled: form.enabled, name: form.name.trim(), greeting: form.greeting.trim(),
    threshold: Number(form.threshold), max_unanswered: Number(form.max_unanswered),
    // Commas of either script: admins type Chinese keywords with the Chinese comma.
    handoff_keywords: form.handoff_keywords.split(/[,，、]/).map((k) => k.trim()).filter(Boolean),
    out_of_hours: form.out_of_hours };
}

function GroupBotForm({ group, admin, onSaved }) {
  const [form, setForm] = useState(() => toForm(group.bot));
  useEffect(() => setForm(toForm(group.bot)), [group]);
  const set = (key, value) => setForm({ ...form, [key]: value });
  const off = !admin;
  async function save(event) {
    event.preventDefault();
    if (await attempt(() => api.changeSkillGroup(group.name, { bot: toBot(form) }), { done: t('console.saved') })) onSaved();
  }
  return html`
    <form class="hours" aria-label=${t('console.bot.groupForm', { group: group.display_name || group.name })}
          onSubmit=${save}>
      <h3>${t('console.bot.groupForm', { group: group.display_name || group.name })}</h3>
      <label>${t('console.bot.enabled')}<input type="checkbox" name="enabled" disabled=${off}
        checked=${form.enabled} onChange=${(e) => set('enabled', e.target.checked)} /></label>
      <label>${t('console.bot.name')}<input name="name" maxlength="40" disabled=${off} value=${form.name}
        placeholder=${t('console.bot.namePlaceholder')} onInput=${(e) => set('name', e.target.value)} /></label>
      <label>${t('console.bot.greeting')}<textarea name="greeting" rows="2" maxlength="500" disabled=${off}
        value=${form.greeting} placeholder=${t('console.bot.greetingPlaceholder')}
        onInput=${(e) => set('greeting', e.target.value)}></textarea></label>
      <label>${t('console.bot.threshold')}<input type="number" name="threshold" min="0" max="1" step="0.05"
        required disabled=${off} value=${form.threshold} onInput=${(e) => set('threshold', e.target.value)} /></label>
      <label>${t('console.bot.maxUnanswered')}<input type="number" name="max_unanswered" min="0" max="20" step="1"
        required disabled=${off} value=${form.max_unanswered} onInput=${(e) => set('max_unanswered', e.target.value)} /></label>
      <label>${t('console.bot.keywords')}<input name="handoff_keywords" disabled=${off} value=${form.handoff_keywords}
        onInput=${(e) => set('handoff_keywords', e.target.value)} /></label>
      <label>${t('console.bot.outOfHours')}<input type="checkbox" name="out_of_hours" disabled=${off}
        checked=${form.out_of_hours} onChange=${(e) => set('out_of_hours', e.target.checked)} /></label>
      <p class="soft">${t('console.bot.explain')}</p>
      ${admin && html`<div class="dialog-actions"><button class="primary" type="submit">${t('console.save')}</button></div>`}
    </form>`;
}

export function BotPage() {
  const [groups, reload] = useLoad(api.skillGroups);
  const [chosen, setChosen] = useState('');
  const admin = isAdmin();
  if (!groups) return html`<p class="empty">${t('console.loading')}</p>`;
  const group = groups.find((g) => g.name === chosen) || groups[0];
  return html`
    <section aria-labelledby="bot-title" class="center-settings bot-page">
      <div class="page-head"><h2 id="bot-title">${t('console.nav.bot')}</h2>
        ${group && html`<label class="soft">${t('console.bot.group')}
          <select name="group" value=${group.name} onChange=${(e) => setChosen(e.target.value)}>
            ${groups.map((g) => html`<option value=${g.name}>${g.display_name || g.name}${
              g.bot?.enabled ? ` · ${t('console.bot.on')}` : ''}</option>`)}
          </select></label>`}</div>
      <div class="bot-columns">
        <div>${group ? html`<${GroupBotForm} group=${group} admin=${admin} onSaved=${reload} />`
          : html`<p class="empty">${t('console.agents.noGroups')}</p>`}</div>
        ${admin && html`<div><${BotProviderForm} threshold=${group?.bot?.threshold ?? DEFAULTS.threshold} /></div>`}
      </div>
    </section>`;
}
