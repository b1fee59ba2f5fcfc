// The customers report (客户统计): visitors new and returning per period (a table and
// bars), then where they came from, where they are, what they browse with and the words
// they wrote, one small table each (the server's top 20: actors/reports/).
import { html } from 'htm/preact';
import { formatNumber, t } from 'kefu/i18n.mjs';
import { Bars } from './Bars.mjs';

const COUNTS = ['visitors', 'new_visitors', 'returning_visitors', 'visitors_served', 'conversations',
  'conversations_per_visitor'];
const LISTS = ['source_kinds', 'sources', 'search_keywords', 'regions', 'cities', 'devices', 'browsers',
  'operating_systems', 'channels'];
// Lists whose values are words the console translates; the others are shown as recorded.
const WORDED = { source_kinds: 'console.customers.kind.', devices: 'console.customers.device.' };

function itemName(list, item) {
  const value = list === 'sources' ? item.name : list === 'regions' || list === 'cities' ? item.display : item.key;
  if (value == null) return t('console.customers.notRecorded');
  return WORDED[list] ? t(`${WORDED[list]}${value}`) : value;
}

function share(visitors, total) {
  return total ? `${formatNumber(Math.round((1000 * visitors) / total) / 10)}%` : '—';
}

function CountsRow({ label, row, head }) {
  const Cell = head ? 'th' : 'td';
  return html`<tr><${Cell}>${label}<//>
    ${COUNTS.map((c) => html`<${Cell} class="number" data-column=${c}>${row[c] == null ? '—' : formatNumber(row[c])}<//>`)}</tr>`;
}

function ListTable({ list, items, visitors }) {
  const title = t(`console.customers.list.${list}`);
  return html`
    <section class="panel">
      <h3>${title}</h3>
      <table class="grid" aria-label=${title}>
        <thead><tr><th>${title}</th>${list === 'sources' && html`<th>${t('console.customers.kindColumn')}</th>`}
          <th class="number">${t('console.customers.visitorsColumn')}</th>
          <th class="number">${t('console.customers.shareColumn')}</th></tr></thead>
        <tbody>
          ${items.map((item) => html`<tr><td>${itemName(list, item)}</td>
            ${list === 'sources' && html`<td>${t(`console.customers.kind.${item.kind}`)}</td>`}
            <td class="number" data-column="visitors">${formatNumber(item.visitors)}</td>
            <td class="number">${share(item.visitors, visitors)}</td></tr>`)}
        </tbody>
      </table>
      ${items.length === 0 && html`<p class="empty">${t('console.reports.empty')}</p>`}
    </section>`;
}

function WordsTable({ found }) {
  const title = t('console.customers.list.message_words');
  return html`
    <section class="panel">
      <h3>${title}</h3>
      <table class="grid" aria-label=${title}>
        <thead><tr><th>${t('console.customers.wordColumn')}</th>
          <th class="number">${t('console.customers.countColumn')}</th></tr></thead>
        <tbody>${found.words.map((w) => html`<tr><td>${w.word}</td>
          <td class="number" data-column="count">${formatNumber(w.count)}</td></tr>`)}</tbody>
      </table>
      <p class="soft">${t('console.customers.sample', { read: formatNumber(found.messages_read),
        messages: formatNumber(found.messages) })}</p>
    </section>`;
}

export function CustomersReport({ result }) {
  const { total } = result;
  const grouped = result.group_by !== 'none';
  const split = [{ key: t('console.customers.col.new_visitors'), value: total.new_visitors },
    { key: t('console.customers.col.returning_visitors'), value: total.returning_visitors }];
  return html`
    <p class="soft" data-zone=${result.tz}>${t('console.reports.zone', { zone: result.tz })} ${t('console.customers.newMeans')}</p>
    <${Bars} title=${t('console.customers.chart')} label=${(key) => key} rows=${split} />
    ${grouped && result.rows.length > 1 && html`<${Bars} title=${t('console.customers.chartPeriods')}
      label=${(key) => key} rows=${result.rows.map((r) => ({ key: r.period, value: r.visitors }))} />`}
    <table class="grid report" aria-label=${t('console.reports.kind.customers')}>
      <thead><tr><th>${t(`console.reports.by.${result.group_by}`)}</th>
        ${COUNTS.map((c) => html`<th class="number">${t(`console.customers.col.${c}`)}</th>`)}</tr></thead>
      <tbody>
        ${(grouped ? result.rows : [total]).map((row) => html`<${CountsRow}
          label=${grouped ? row.period : t('console.reports.total')} row=${row} />`)}
      </tbody>
      ${grouped && html`<tfoot><${CountsRow} head label=${t('console.reports.total')} row=${total} /></tfoot>`}
    </table>
    ${total.visitors === 0 && html`<p class="empty">${t('console.reports.empty')}</p>`}
    <div class="report-lists">
      ${LISTS.map((list) => html`<${ListTable} list=${list} items=${result[list]} visitors=${total.visitors} />`)}
      <${WordsTable} found=${result.message_words} />
    </div>`;
}
