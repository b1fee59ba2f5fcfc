// Beside a chat record: who the visitor is (region, device and browser, where they came
// from), the pages they browsed with dwell times, and their earlier conversations, each
// one link away. From GET /api/v1/visitors/{id}/profile, which answers a supervisor only
// for visitors of their departments (and lists only their departments' conversations).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { formatDuration, formatTime, t } from 'kefu/i18n.mjs';
import { visitorProfile } from '../api/records.mjs';
import { go } from '../state/route.mjs';
import { attempt } from './useLoad.mjs';

const joined = (...parts) => parts.filter(Boolean).join(' · ');

function Field({ label, value }) {
  if (!value) return null;
  return html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
}

export function RecordVisitor({ visitorId, conversationId }) {
  const [profile, setProfile] = useState(undefined); // undefined: loading; null: not shown
  useEffect(() => {
    let gone = false;
    attempt(async () => { const found = await visitorProfile(visitorId); if (!gone) setProfile(found); });
    return () => { gone = true; };
  }, [visitorId]);
  if (profile === undefined) return html`<aside class="record-visitor"><p class="soft">${t('console.loading')}</p></aside>`;
  if (profile === null) return html`<aside class="record-visitor"><p class="soft">${t('console.record.noProfile')}</p></aside>`;
  const earlier = profile.conversations.filter((c) => c.conversation_id !== conversationId);
  return html`
    <aside class="record-visitor" aria-labelledby="record-visitor-title">
      <h3 id="record-visitor-title">${profile.name || t('console.record.visitor')}</h3>
      <dl>
        <${Field} label=${t('console.records.region')} value=${joined(profile.region.country, profile.region.province, profile.region.city)} />
        <${Field} label=${t('console.record.device')} value=${joined(profile.device.type, profile.device.os, profile.device.browser)} />
        <${Field} label=${t('console.record.source')} value=${profile.source.display} />
        <${Field} label=${t('console.record.visits')} value=${String(profile.visits)} />
      </dl>
      <h4>${t('console.record.trail')}</h4>
      ${profile.pages.length === 0 ? html`<p class="soft small">${t('console.record.noPages')}</p>` : html`
        <ol class="trail" aria-label=${t('console.record.trail')}>${profile.pages.map((page) => html`
          <li><span class="page-title" title=${page.url}>${page.title || page.url}</span>
            <span class="soft small">${formatTime(page.at)}${page.dwell_s != null ? ` · ${formatDuration(page.dwell_s)}` : ''}</span></li>`)}
        </ol>`}
      <h4>${t('console.record.earlier')}</h4>
      ${earlier.length === 0 ? html`<p class="soft small">${t('console.record.noEarlier')}</p>` : html`
        <ul class="earlier" aria-label=${t('console.record.earlier')}>${earlier.map((c) => html`
          <li><button class="link" onClick=${() => go('records', c.conversation_id)}>${formatTime(c.started_at)}</button>
            <span class="soft small">${joined(t(`console.status.${c.status}`), c.agent?.display_name)}</span>
            ${c.rating && html` <span aria-label=${t('console.record.stars', { n: c.rating.score })}>${'★'.repeat(c.rating.score)}</span>`}</li>`)}
        </ul>`}
    </aside>`;
}
