// The waiting visitors of my skill groups (排队): source, wait time, priority, Pick.
import { html } from 'htm/preact';
import { formatDuration, t } from 'kefu/i18n.mjs';
import { pick } from '../actions.mjs';
import { count, entries, waitedNow } from '../state/queue.mjs';
import { byVisitor } from '../state/visitors.mjs';

// Where the waiting visitor came from, as the `waiting` frame's `source` says; the
// browsing list's text or the channel for a center that did not know it. The keyword
// and host are the visitor's own: they go into text nodes only.
function sourceText(entry) {
  const s = entry.source;
  const name = s?.name || '?';
  switch (s?.kind) {
    case 'search': return s.keyword ? t('desk.queue.source.searchFor', { name, keyword: s.keyword })
      : t('desk.queue.source.search', { name });
    case 'campaign': return s.keyword ? t('desk.queue.source.campaignFor', { name, keyword: s.keyword })
      : t('desk.queue.source.campaign', { name });
    case 'referral': return t('desk.queue.source.referral', { name });
    case 'direct': return t('desk.queue.source.direct');
    default: return byVisitor(entry.visitor?.id)?.source || entry.channel;
  }
}

export function QueuePanel() {
  const list = entries.value;
  return html`
    <section class="queue-panel" aria-labelledby="queue-title">
      <h2 id="queue-title">${t('desk.queue.title', { n: count.value })}</h2>
      ${!list.length && html`<p class="empty">${t('desk.queue.empty')}</p>`}
      <ul aria-label=${t('desk.queue.title', { n: count.value })}>
        ${list.map((entry) => {
          const name = entry.visitor?.name || t('desk.visitor.anonymous', { id: entry.visitor?.id?.slice(-6) || '?' });
          const source = sourceText(entry);
          return html`
            <li key=${entry.conversation_id} class="waiting" data-conversation=${entry.conversation_id}>
              <div class="row">
                <span class="name">${name}</span>
                ${entry.priority > 0 && html`<span class="tag priority">${t('desk.queue.priority', { n: entry.priority })}</span>`}
              </div>
              <div class="soft small">
                <span class="source" data-kind=${entry.source?.kind}>${source}</span>${` · ${entry.skill_group} · `}<span class="waited">${
                  t('desk.queue.waited', { time: formatDuration(waitedNow(entry, entry.listAt)) })}</span>
              </div>
              <button class="primary small" onClick=${() => pick(entry.conversation_id)}
                      aria-label=${t('desk.queue.pickNamed', { name })}>${t('desk.queue.pick')}</button>
            </li>`;
        })}
      </ul>
    </section>`;
}
