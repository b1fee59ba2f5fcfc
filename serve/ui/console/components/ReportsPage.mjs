// Reports (报表): conversations, agents, skill groups, customers or left messages over a range of days, grouped by hour, day, week, month,
// skill group or agent, as a table, bars of the conversations per row, and CSV / XLSX
// downloads of the same figures (the server computes them: actors/reports/), in the
// browser's time zone.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDuration, formatNumber, lang, t } from 'kefu/i18n.mjs';
import { download, report } from '../api/reports.mjs';
import { attempt } from './useLoad.mjs';
import { Bars } from './Bars.mjs';
import { CustomersReport } from './CustomersReport.mjs';
import { ScopeFilters } from './ScopeFilters.mjs';

const PERIODS = ['day', 'hour', 'week', 'month'];
const GROUPINGS = { conversations: ['none', ...PERIODS, 'skill_group', 'agent'], agents: ['none', ...PERIODS],
  'skill-groups': ['none', ...PERIODS], customers: ['none', ...PERIODS],
  'left-messages': ['none', ...PERIODS, 'skill_group', 'agent'] };
// Reports with a view of their own (lists besides the rows); the others are one table.
const VIEWS = { customers: CustomersReport };
const COLUMNS = {
  conversations: ['conversations', 'answered', 'abandoned_in_queue', 'left_messages', 'overflowed', 'transfers',
    'wait_avg_s', 'wait_p90_s', 'first_response_avg_s', 'duration_avg_s', 'ratings', 'rating_avg',
    'bot_served', 'bot_resolved', 'bot_handed_off', 'bot_rating_avg'],
  agents: ['online_s', 'away_s', 'conversations', 'messages', 'first_response_avg_s', 'ratings', 'rating_avg'],
  'skill-groups': ['offered', 'answered', 'abandoned_in_queue', 'overflowed_out', 'timed_out', 'wait_avg_s',
    'wait_p90_s', 'service_level', 'agents_served'],
  'left-messages': ['submitted', 'assigned', 'replied', 'replied_in_widget', 'replied_by_email', 'closed_without_reply',
    'still_open', 'first_reply_avg_s', 'first_reply_p90_s'],
};
// What each report's bars count, and what its first column names.
const BAR_VALUE = { conversations: 'conversations', agents: 'conversations', 'skill-groups': 'offered',
  'left-messages': 'submitted' };
const FIRST_COLUMN = { agents: 'agent', 'skill-groups': 'skill_group' };

// The browser's time zone: the reports' days and hours are its local ones (the server
// buckets in it, and reads the range's dates on its clock). UTC if the browser has none.
export const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

// A local calendar date, `offset` days from today (or from `from`).
function day(offset = 0, from = new Date()) {
  const date = new Date(from);
  date.setDate(date.getDate() + offset);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// Quick ranges, in the browser's local calendar: [from, to] dates, both included.
const RANGES = {
  today: () => [day(0), day(0)],
  yesterday: () => [day(-1), day(-1)],
  week: () => [day(-((new Date().getDay() + 6) % 7)), day(0)], // since Monday
  month: () => [day(1 - new Date().getDate()), day(0)],
  last30: () => [day(-29), day(0)],
};

function cell(column, value) {
  if (value == null) return '—';
  if (column.endsWith('_s')) return formatDuration(value);
  if (column === 'service_level') return `${formatNumber(Math.round(value * 1000) / 10)}%`;
  if (column === 'rating_avg' || column === 'bot_rating_avg') return formatNumber(Math.round(value * 100) / 100);
  return formatNumber(value);
}

export function ReportsPage() {
  const [kind, setKind] = useState('conversations');
  const [form, setForm] = useState({ from: day(0), to: day(0), group_by: 'none', skill_group: '', agent_id: '',
    department_id: '', channel: '' });
  const [answer, setAnswer] = useState(null);
  const set = (key) => (event) => setForm({ ...form, [key]: event.target.value });
  // Dates without an offset: midnights on the clock of `tz`.
  const params = (f = form) => ({ since: `${f.from}T00:00:00`, until: `${nextDay(f.to)}T00:00:00`, tz: viewerZone(),
    group_by: f.group_by, skill_group: f.skill_group, agent_id: f.agent_id, department_id: f.department_id,
    channel: f.channel, lang: lang.value === 'zh-CN' ? 'zh-CN' : 'en' });

  // Only the latest question's answer is shown: an earlier, slower one (the tab's own
  // first report) must not overwrite the filtered one asked after it.
  const asked = useRef(0);
  async function run(event, f = form, which = kind) {
    event?.preventDefault();
    const mine = ++asked.current;
    const result = await attempt(() => report(which, params(f)));
    if (result && mine === asked.current) setAnswer({ kind: which, result });
  }
  // Each report opens on today's figures; a quick range shows its figures at once.
  useEffect(() => { run(null, form, kind); }, [kind]);
  const showRange = (name) => {
    const [from, to] = RANGES[name]();
    const next = { ...form, from, to };
    setForm(next);
    run(null, next);
  };

  const chooseKind = (next) => {
    // Both changes land in one render, so the effect below asks with the new grouping.
    if (!GROUPINGS[next].includes(form.group_by)) setForm({ ...form, group_by: 'none' });
    setKind(next);
    setAnswer(null);
  };
  const shown = answer?.kind === kind ? answer.result : null;
  const columns = COLUMNS[kind];
  const keyOf = (row) => (kind === 'agents' ? [row.display_name, row.period].filter(Boolean).join(' · ')
    : kind === 'skill-groups' ? [row.skill_group, row.period].filter(Boolean).join(' · ') : row.key);
  // Ungrouped, the one row is every conversation; grouped, a row without a key is the
  // conversations without a group or agent.
  const rowLabel = (key) => (key != null ? key
    : shown?.group_by === 'none' ? t('console.reports.total') : t('console.reports.none'));
  return html`
    <section aria-labelledby="reports-title">
      <div class="page-head"><h2 id="reports-title">${t('console.nav.reports')}</h2></div>
      <div class="tabs inline" role="tablist">
        ${Object.keys(GROUPINGS).map((name) => html`
          <button role="tab" aria-selected=${kind === name ? 'true' : 'false'} onClick=${() => chooseKind(name)}>
            ${t(`console.reports.kind.${name}`)}</button>`)}
      </div>
      <div class="inline-form" role="group" aria-label=${t('console.reports.ranges')}>
        ${Object.keys(RANGES).map((name) => html`<button type="button" data-range=${name}
          onClick=${() => showRange(name)}>
          ${t(`console.reports.range.${name}`)}</button>`)}
      </div>
      <form class="inline-form" onSubmit=${run} aria-label=${t('console.reports.filters')}>
        <label>${t('console.reports.from')}<input type="date" name="from" required value=${form.from} onInput=${set('from')} /></label>
        <label>${t('console.reports.to')}<input type="date" name="to" required value=${form.to} onInput=${set('to')} /></label>
        <label>${t('console.reports.groupBy')}
          <select name="group_by" value=${form.group_by} onChange=${set('group_by')}>
            ${GROUPINGS[kind].map((g) => html`<option value=${g}>${t(`console.reports.by.${g}`)}</option>`)}
          </select></label>
        <${ScopeFilters} form=${form} set=${set} withDepartment=${true} />
        <button class="primary" type="submit">${t('console.reports.show')}</button>
        <button type="button" onClick=${() => attempt(() => download(kind, params(), 'csv'))}>CSV</button>
        <button type="button" onClick=${() => attempt(() => download(kind, params(), 'xlsx'))}>XLSX</button>
      </form>
      ${shown && VIEWS[kind] && html`<${VIEWS[kind]} result=${shown} />`}
      ${shown && !VIEWS[kind] && html`
        <p class="soft" data-zone=${shown.tz}>${t('console.reports.zone', { zone: shown.tz })}${kind === 'left-messages' ? ` ${t('console.reports.leftAsOf')}` : ''}</p>
        ${shown.rows.length > 1 && html`<${Bars} label=${rowLabel}
          title=${t({ 'skill-groups': 'console.reports.chartOffered', 'left-messages': 'console.reports.chartLeft' }[kind]
            || 'console.reports.chart')}
          rows=${shown.rows.map((r) => ({ key: keyOf(r), value: r[BAR_VALUE[kind]] }))} />`}
        <table class="grid report" aria-label=${t(`console.reports.kind.${kind}`)}>
          <thead><tr><th>${t(`console.reports.by.${FIRST_COLUMN[kind] || shown.group_by}`)}</th>
            ${columns.map((c) => html`<th>${t(`console.reports.col.${c}`)}</th>`)}</tr></thead>
          <tbody>
            ${shown.rows.map((row) => html`<tr><td>${rowLabel(keyOf(row))}</td>
              ${columns.map((c) => html`<td class="number" data-column=${c}>${cell(c, row[c])}</td>`)}</tr>`)}
          </tbody>
          ${shown.total && shown.group_by !== 'none' && html`<tfoot><tr><th>${t('console.reports.total')}</th>
            ${columns.map((c) => html`<td class="number" data-column=${c}>${cell(c, shown.total[c])}</td>`)}</tr></tfoot>`}
        </table>
        ${shown.rows.length === 0 && html`<p class="empty">${t('console.reports.empty')}</p>`}`}
    </section>`;
}

function nextDay(date) {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
