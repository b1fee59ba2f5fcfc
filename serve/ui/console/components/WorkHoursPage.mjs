// Work hours and holidays (工作时间): the center's, or a skill group's own (which replace
// the center's for that group). Outside them a chat request is offered to leave a
// message. Shown and saved per weekday; `weekdays` / `weekends` / `daily` keys the API
// also takes are spread over the days they cover.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/admin.mjs';
import { errorText } from '../errors.mjs';
import { isAdmin, tell } from '../state/session.mjs';
import { attempt, useLoad } from './useLoad.mjs';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const COVERS = { weekdays: DAYS.slice(0, 5), weekends: DAYS.slice(5), daily: DAYS };

function perDay(weekly = {}) {
  const days = {};
  for (const key of ['daily', 'weekdays', 'weekends']) {
    for (const day of COVERS[key]) if (weekly[key]) days[day] = weekly[key];
  }
  for (const day of DAYS) if (weekly[day]) days[day] = weekly[day];
  return Object.fromEntries(DAYS.map((day) => [day, (days[day] || []).join(', ')]));
}

function toForm(hours) {
  return { timezone: hours?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    days: perDay(hours?.weekly), closed: (hours?.closed_dates || []).join('\n'), open: hours == null };
}

export function WorkHoursPage() {
  const [groups] = useLoad(api.skillGroups);
  const [target, setTarget] = useState('');
  const [form, setForm] = useState(null);
  const admin = isAdmin();
  const load = async () => {
    try {
      setForm(toForm(await api.workHours(target || null)));
    } catch (error) {
      tell('error', errorText(error.code, error.message));
    }
  };
  useEffect(() => { setForm(null); load(); }, [target]);

  async function save(event) {
    event.preventDefault();
    const weekly = {};
    for (const day of DAYS) {
      const spans = form.days[day].split(/[,，\s]+/).filter(Boolean);
      if (spans.length) weekly[day] = spans;
    }
    const closed_dates = form.closed.split(/[\s,，]+/).filter(Boolean);
    if (await attempt(() => api.setWorkHours(target || null, { timezone: form.timezone.trim(), weekly, closed_dates }),
      { done: t('console.saved') })) load();
  }
  const clear = async () => { if (await attempt(() => api.clearWorkHours(target || null), { done: t('console.saved') })) load(); };
  return html`
    <section aria-labelledby="hours-title">
      <div class="page-head"><h2 id="hours-title">${t('console.nav.work-hours')}</h2>
        <label class="soft">${t('console.hours.for')}
          <select name="target" value=${target} onChange=${(e) => setTarget(e.target.value)}>
            <option value="">${t('console.hours.center')}</option>
            ${(groups || []).map((g) => html`<option value=${g.name}>${g.display_name || g.name}</option>`)}
          </select></label></div>
      ${form && html`
        <p class="soft">${form.open ? (target ? t('console.hours.usesCenter') : t('console.hours.alwaysOpen'))
          : t('console.hours.explain')}</p>
        <form class="hours" onSubmit=${save} aria-label=${t('console.nav.work-hours')}>
          <label>${t('console.hours.timezone')}
            <input name="timezone" required maxlength="64" value=${form.timezone} disabled=${!admin}
                   onInput=${(e) => setForm({ ...form, timezone: e.target.value })} /></label>
          ${DAYS.map((day) => html`
            <label>${t(`console.hours.day.${day}`)}
              <input name=${day} value=${form.days[day]} placeholder=${t('console.hours.closed')} disabled=${!admin}
                     onInput=${(e) => setForm({ ...form, days: { ...form.days, [day]: e.target.value } })} /></label>`)}
          <label>${t('console.hours.holidays')}
            <textarea name="closed_dates" rows="3" value=${form.closed} disabled=${!admin} placeholder="2026-10-01"
                      onInput=${(e) => setForm({ ...form, closed: e.target.value })}></textarea></label>
          ${admin && html`<div class="dialog-actions">
            <button type="button" onClick=${clear}>${target ? t('console.hours.useCenter') : t('console.hours.open')}</button>
            <button class="primary" type="submit">${t('console.save')}</button></div>`}
        </form>`}
    </section>`;
}
