// The right column: who the visitor is (source, region, device), the pages they saw
// with dwell times, their past conversations and ratings.
import { html } from 'htm/preact';
import { formatDuration, formatTime, t } from 'kefu/i18n.mjs';
import { profiles } from '../state/visitors.mjs';
import { visitorLabel } from './names.mjs';

function Field({ label, value }) {
  if (!value) return null;
  return html`<div class="field"><dt>${label}</dt><dd>${value}</dd></div>`;
}

function joined(...parts) { return parts.filter(Boolean).join(' · '); }

function source(p) {
  const s = p.source || {};
  if (s.engine) return s.keyword ? `${s.engine}: ${s.keyword}` : s.engine;
  if (s.referrer) { try { return new URL(s.referrer).host; } catch { return s.referrer; } }
  return t('desk.visitor.direct');
}

export function VisitorPanel({ c }) {
  if (!c) return html`<aside class="visitor-panel" aria-label=${t('desk.visitor.title')}></aside>`;
  const p = profiles.value[c.visitorId];
  const profile = p && p !== 'missing' ? p : null;
  return html`
    <aside class="visitor-panel" aria-labelledby="visitor-title">
      <h2 id="visitor-title">${t('desk.visitor.title')}</h2>
      <dl>
        <${Field} label=${t('desk.visitor.name')} value=${visitorLabel(c)} />
        <${Field} label=${t('desk.visitor.channel')} value=${c.channel} />
        ${profile && html`
          <${Field} label=${t('desk.visitor.source')} value=${source(profile)} />
          <${Field} label=${t('desk.visitor.landing')} value=${profile.source?.landing_url} />
          <${Field} label=${t('desk.visitor.region')} value=${joined(profile.region?.country, profile.region?.province, profile.region?.city)} />
          <${Field} label=${t('desk.visitor.device')} value=${joined(profile.device?.type, profile.device?.os, profile.device?.browser)} />
          <${Field} label=${t('desk.visitor.contact')} value=${profile.contact} />
          <${Field} label=${t('desk.visitor.visits')} value=${profile.visits ? String(profile.visits) : ''} />
          <${Field} label=${t('desk.visitor.level')} value=${profile.level ? String(profile.level) : ''} />`}
        ${c.rating && html`<${Field} label=${t('desk.visitor.rating')}
          value=${`${'★'.repeat(c.rating.score)}${'☆'.repeat(5 - c.rating.score)} ${c.rating.comment || ''}`} />`}
      </dl>
      ${!profile && html`<p class="soft small">${p === 'missing' ? t('desk.visitor.noProfile') : t('desk.visitor.loading')}</p>`}
      ${profile?.pages?.length > 0 && html`
        <h3>${t('desk.visitor.trail')}</h3>
        <ol class="trail">${profile.pages.map((page) => html`
          <li><span class="page-title" title=${page.url}>${page.title || page.url}</span>
            <span class="soft small">${formatTime(page.at)}${page.dwell_s != null ? ` · ${formatDuration(page.dwell_s)}` : ''}</span></li>`)}
        </ol>`}
      ${profile?.conversations?.length > 0 && html`
        <h3>${t('desk.visitor.past')}</h3>
        <ul class="past">${profile.conversations.filter((x) => x.conversation_id !== c.id).map((x) => html`
          <li><span>${formatTime(x.started_at)}</span> <span class="soft small">${x.agent?.display_name || ''}</span>
            ${x.rating && html` <span class="stars" aria-label=${t('desk.visitor.stars', { n: x.rating.score })}>${'★'.repeat(x.rating.score)}</span>`}</li>`)}
        </ul>`}
    </aside>`;
}
