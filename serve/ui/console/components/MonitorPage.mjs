// The live monitor (实时监控): today's figures, agents by state with their load, per
// department and skill group, today vs yesterday by hour, the last 7 days by weekday and hour, and the
// alerts, pushed by the center within 2 s of what happens (state/monitor.mjs).
import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { formatDuration, formatNumber, formatTime, lang, t } from 'kefu/i18n.mjs';
import { snapshot, unavailable, unwatch, watch } from '../state/monitor.mjs';
import { go } from '../state/route.mjs';
import { TrendChart } from './TrendChart.mjs';

const CARDS = [
  ['conversations', 'count'], ['visitors_served', 'count'], ['waiting_now', 'count'], ['longest_wait_now_s', 'time'],
  ['wait_avg_s', 'time'], ['first_response_avg_s', 'time'], ['handle_avg_s', 'time'], ['abandoned_share', 'share'],
  ['service_level', 'share'], ['first_response_level', 'share'], ['rating_avg', 'score'], ['messages', 'count'],
  ['with_bot_now', 'count'],
];
const STATES = ['online', 'busy', 'away', 'offline'];

// Short weekday names in the page's language, Monday first (2026-11-30 was a Monday).
function weekday(index) {
  return new Intl.DateTimeFormat(lang.value, { weekday: 'short', timeZone: 'UTC' })
    .format(new Date(Date.UTC(2026, 10, 30 + index)));
}

function value(kind, v) {
  if (v == null) return '—';
  if (kind === 'time') return formatDuration(v);
  if (kind === 'share') return `${formatNumber(Math.round(v * 1000) / 10)}%`;
  if (kind === 'score') return formatNumber(Math.round(v * 100) / 100);
  return formatNumber(v);
}

function Cards({ totals }) {
  return html`<ul class="kpis" aria-label=${t('console.monitor.today')}>
    ${CARDS.map(([key, kind]) => html`
      <li class="kpi" data-figure=${key}><span class="kpi-value">${value(kind, totals[key])}</span>
        <span class="kpi-name">${t(`console.monitor.fig.${key}`)}</span>
        ${key === 'abandoned_share' && html`<span class="soft small">${t('console.monitor.abandonedCount', { n: totals.abandoned_in_queue })}</span>`}</li>`)}
  </ul>`;
}

function Agents({ agents, byState }) {
  return html`<section class="panel" aria-labelledby="mon-agents">
    <h3 id="mon-agents">${t('console.monitor.agents')}</h3>
    <p class="states">${STATES.map((s) => html`<span class=${`state ${s}`} data-state=${s}>
      <span class=${`dot ${s === 'busy' ? 'away' : s}`}></span>${t(`console.monitor.state.${s}`)} ${byState[s]}</span> `)}</p>
    <table class="grid"><thead><tr><th>${t('console.agents.name')}</th><th>${t('console.agents.status')}</th>
      <th>${t('console.monitor.load')}</th><th class="number">${t('console.monitor.fig.visitors_served')}</th>
      <th class="number">${t('console.monitor.fig.messages')}</th></tr></thead>
      <tbody>${agents.map((a) => html`<tr data-agent=${a.agent_id}>
        <td>${a.display_name}</td><td>${t(`console.monitor.state.${a.state}`)}</td>
        <td><span class="load"><span class="load-bar" style=${`width: ${a.max_concurrent ? (100 * a.load) / a.max_concurrent : 0}%`}></span></span>
          <span class="number">${a.load}/${a.max_concurrent}</span></td>
        <td class="number">${a.conversations}</td><td class="number">${a.messages}</td></tr>`)}</tbody></table>
  </section>`;
}

function Groups({ groups }) {
  if (!groups.length) return null;
  const columns = [['conversations', 'count'], ['waiting_now', 'count'], ['longest_wait_now_s', 'time'],
    ['wait_avg_s', 'time'], ['abandoned_in_queue', 'count'], ['service_level', 'share']];
  return html`<section class="panel" aria-labelledby="mon-groups">
    <h3 id="mon-groups">${t('console.nav.skill-groups')}</h3>
    <table class="grid"><thead><tr><th>${t('console.groups.name')}</th>
      ${columns.map(([c]) => html`<th class="number">${t(`console.monitor.fig.${c}`)}</th>`)}</tr></thead>
      <tbody>${groups.map((g) => html`<tr data-group=${g.skill_group}><td>${g.skill_group}</td>
        ${columns.map(([c, kind]) => html`<td class="number" data-figure=${c}>${value(kind, g[c])}</td>`)}</tr>`)}</tbody></table>
  </section>`;
}

// Each department's row holds its sub-departments' too; names are indented by depth.
function Departments({ departments }) {
  if (!departments?.length) return null;
  const columns = [['conversations', 'count'], ['visitors_served', 'count'], ['waiting_now', 'count'],
    ['longest_wait_now_s', 'time'], ['wait_avg_s', 'time'], ['abandoned_in_queue', 'count']];
  return html`<section class="panel" aria-labelledby="mon-departments">
    <h3 id="mon-departments">${t('console.monitor.departments')}</h3>
    <table class="grid"><thead><tr><th>${t('console.nav.departments')}</th>
      ${columns.map(([c]) => html`<th class="number">${t(`console.monitor.fig.${c}`)}</th>`)}
      <th class="number">${t('console.monitor.agentStates')}</th><th>${t('console.monitor.load')}</th></tr></thead>
      <tbody>${departments.map((d) => html`<tr data-department=${d.department_id}>
        <td style=${`padding-left: ${0.5 + 1.25 * d.depth}rem`}>${d.name}</td>
        ${columns.map(([c, kind]) => html`<td class="number" data-figure=${c}>${value(kind, d[c])}</td>`)}
        <td class="number" data-figure="agents">${STATES.slice(0, 3).map((s) => formatNumber(d.agents_by_state[s])).join(' · ')}</td>
        <td><span class="load"><span class="load-bar" style=${`width: ${d.capacity ? (100 * d.load) / d.capacity : 0}%`}></span></span>
          <span class="number" data-figure="load">${d.load}/${d.capacity}</span></td></tr>`)}</tbody></table>
  </section>`;
}

function Heatmap({ cells, zone }) {
  const top = Math.max(1, ...cells.flat());
  return html`<section class="panel" aria-labelledby="mon-heat">
    <h3 id="mon-heat">${t('console.monitor.heatmap', { zone })}</h3>
    <div class="heatmap" role="table" aria-labelledby="mon-heat">
      ${cells.map((row, day) => html`<div class="heat-row" role="row">
        <span class="heat-day" role="rowheader">${weekday(day)}</span>
        ${row.map((n, hour) => html`<span role="cell" class="heat-cell" title=${`${hour}:00 · ${n}`}
          style=${`background: rgba(31, 111, 235, ${n ? 0.12 + (0.88 * n) / top : 0})`}
          aria-label=${t('console.monitor.heatCell', { hour, n })}></span>`)}</div>`)}
      <div class="heat-row heat-hours" aria-hidden="true"><span class="heat-day"></span>
        ${Array.from({ length: 24 }, (_, h) => html`<span class="heat-cell">${h % 3 === 0 ? h : ''}</span>`)}</div>
    </div>
  </section>`;
}

function Alerts({ alerts }) {
  return html`<section class="panel alerts" aria-labelledby="mon-alerts">
    <h3 id="mon-alerts">${t('console.monitor.alerts')} ${alerts.length ? html`<span class="badge">${alerts.length}</span>` : ''}</h3>
    ${alerts.length === 0 ? html`<p class="soft">${t('console.monitor.noAlerts')}</p>` : html`<ul>
      ${alerts.map((a) => html`<li class=${`alert ${a.kind}`} data-alert=${a.kind}>
        <strong>${t(`console.monitor.alert.${a.kind}`, { s: Math.round(a.seconds || 0), word: a.word || '' })}</strong>
        <span class="soft">${formatTime(a.since)}</span>
        <button class="small" onClick=${() => go('records', a.conversation_id)}>${t('console.records.watch')}</button></li>`)}
    </ul>`}
  </section>`;
}

export function MonitorPage() {
  useEffect(() => { watch(); return unwatch; }, []);
  const s = snapshot.value;
  if (unavailable.value) return html`<p class="empty">${t('console.monitor.unavailable')}</p>`;
  if (!s) return html`<p class="empty">${t('console.loading')}</p>`;
  return html`
    <section aria-labelledby="monitor-title" class="monitor">
      <div class="page-head"><h2 id="monitor-title">${t('console.nav.monitor')}</h2>
        <span class="soft">${t('console.monitor.asOf', { time: formatTime(s.at), day: s.day, zone: s.tz || 'UTC' })}</span></div>
      <${Cards} totals=${s.totals} />
      <${Alerts} alerts=${s.alerts} />
      ${s.trend.length ? html`<div class="two">
        <section class="panel" aria-labelledby="mon-trend"><h3 id="mon-trend">${t('console.monitor.trend', { zone: s.tz || 'UTC' })}</h3>
          <${TrendChart} trend=${s.trend} /></section>
        <${Heatmap} cells=${s.heatmap} zone=${s.tz || 'UTC'} />
      </div>` : html`<p class="soft" role="note">${t('console.monitor.scoped')}</p>`}
      <${Agents} agents=${s.agents} byState=${s.agents_by_state} />
      <${Departments} departments=${s.departments} />
      <${Groups} groups=${s.skill_groups} />
    </section>`;
}
