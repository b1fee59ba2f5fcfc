// Chat records (会话记录): conversations by time, status, group, agent, channel, region,
// rating and the words of their messages, newest first, the words found highlighted in
// each one's snippet; every match downloads as CSV or XLSX; one opens with its whole
// history, its visitor's trail and, while it is being served, the supervisor's actions
// (RecordView).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { formatTime, lang, t } from 'kefu/i18n.mjs';
import { download, search } from '../api/records.mjs';
import * as session from '../state/session.mjs';
import { agentName } from '../state/names.mjs';
import { go } from '../state/route.mjs';
import { RecordView } from './RecordView.mjs';
import { ScopeFilters } from './ScopeFilters.mjs';
import { attempt } from './useLoad.mjs';

const STATUSES = ['', 'bot', 'queued', 'assigned', 'left_message', 'ended'];
const RATINGS = ['', '5', '4', '3', '2', '1'];

// The snippet as text nodes, the words searched in <mark> (never markup from the server).
function Snippet({ c }) {
  if (!c.snippet_parts) return c.snippet || '';
  return html`<span class="snippet">${c.snippet_parts.map((part) => (part.match
    ? html`<mark>${part.text}</mark>` : part.text))}</span>`;
}

export function RecordsPage({ arg }) {
  const [form, setForm] = useState({ from: '', to: '', status: '', skill_group: '', agent_id: '', q: '',
    channel: '', region: '', rating: '' });
  const [found, setFound] = useState(null); // {conversations, next_offset}
  const set = (key) => (event) => setForm({ ...form, [key]: event.target.value });
  const filters = () => ({ ...form, from: form.from && `${form.from}T00:00:00Z`, to: form.to && `${form.to}T23:59:59Z` });

  async function find(event, offset = 0) {
    event?.preventDefault();
    const page = await attempt(() => search(filters(), offset));
    if (page) setFound(offset ? { ...page, conversations: [...found.conversations, ...page.conversations] } : page);
  }
  useEffect(() => { find(); }, []);
  async function save(format) {
    const saved = await attempt(() => download(filters(), format, lang.value === 'zh-CN' ? 'zh-CN' : 'en'));
    if (saved?.truncated) session.tell('info', t('console.records.truncated'));
  }

  if (arg) return html`<${RecordView} id=${arg} onBack=${() => go('records')} />`;
  return html`
    <section aria-labelledby="records-title">
      <div class="page-head"><h2 id="records-title">${t('console.nav.records')}</h2></div>
      <form class="inline-form" onSubmit=${find} aria-label=${t('console.records.filters')}>
        <label>${t('console.records.text')}<input name="q" type="search" maxlength="200" value=${form.q} onInput=${set('q')} /></label>
        <label>${t('console.reports.from')}<input type="date" name="from" value=${form.from} onInput=${set('from')} /></label>
        <label>${t('console.reports.to')}<input type="date" name="to" value=${form.to} onInput=${set('to')} /></label>
        <label>${t('console.records.status')}
          <select name="status" value=${form.status} onChange=${set('status')}>
            ${STATUSES.map((s) => html`<option value=${s}>${s ? t(`console.status.${s}`) : t('console.records.any')}</option>`)}
          </select></label>
        <${ScopeFilters} form=${form} set=${set} />
        <label>${t('console.records.region')}<input name="region" maxlength="64" value=${form.region} onInput=${set('region')} /></label>
        <label>${t('console.records.minRating')}
          <select name="rating" value=${form.rating} onChange=${set('rating')}>
            ${RATINGS.map((r) => html`<option value=${r}>${r ? '★'.repeat(Number(r)) : t('console.records.any')}</option>`)}
          </select></label>
        <button class="primary" type="submit">${t('console.records.search')}</button>
        <span class="downloads" role="group" aria-label=${t('console.records.download')}>
          <button type="button" onClick=${() => save('csv')}>CSV</button>
          <button type="button" onClick=${() => save('xlsx')}>XLSX</button></span>
      </form>
      ${found && (found.conversations.length === 0 ? html`<p class="empty">${t('console.records.none')}</p>` : html`
        <table class="grid records">
          <thead><tr><th>${t('console.records.requested')}</th><th>${t('console.records.status')}</th>
            <th>${t('console.reports.skillGroup')}</th><th>${t('console.reports.agent')}</th>
            <th>${t('console.reports.channel')}</th><th>${t('console.records.rating')}</th>
            <th>${t('console.records.snippet')}</th><th></th></tr></thead>
          <tbody>
            ${found.conversations.map((c) => html`
              <tr data-conversation=${c.conversation_id}>
                <td>${formatTime(c.requested_at)}</td><td><span class=${`tag status-${c.status}`}>${t(`console.status.${c.status}`)}</span></td>
                <td>${c.skill_group || '—'}</td><td>${agentName(c.agent_id) || '—'}</td><td>${c.channel}</td>
                <td>${c.rating ? '★'.repeat(c.rating.score) : '—'}</td><td class="snippet-cell"><${Snippet} c=${c} /></td>
                <td class="actions"><button class="small" onClick=${() => go('records', c.conversation_id)}>
                  ${c.status === 'assigned' ? t('console.records.watch') : t('console.records.open')}</button></td>
              </tr>`)}
          </tbody>
        </table>
        ${found.next_offset != null && html`<button onClick=${() => find(null, found.next_offset)}>${t('console.records.more')}</button>`}`)}
    </section>`;
}
