// Visitors browsing the site now (refreshed while shown), with an invitation button.
import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { formatDuration, t } from 'kefu/i18n.mjs';
import { inviteVisitor } from '../actions.mjs';
import { invitations, online, onlineAvailable, unwatchOnline, watchOnline } from '../state/visitors.mjs';

const OUTCOMES = {
  sent: () => t('desk.online.sent'),
  accepted: () => t('desk.online.accepted'),
  declined: () => t('desk.online.declined'),
  expired: () => t('desk.online.expired'),
  withdrawn: () => t('desk.online.withdrawn'),
  failed: () => t('desk.online.failed'),
};

export function OnlinePanel() {
  useEffect(() => { watchOnline(); return unwatchOnline; }, []);
  if (!onlineAvailable.value) return html`<p class="empty">${t('desk.online.unavailable')}</p>`;
  const list = online.value;
  return html`
    <section class="online-panel" aria-labelledby="online-title">
      <h2 id="online-title">${t('desk.online.title', { n: list.length })}</h2>
      ${!list.length && html`<p class="empty">${t('desk.online.empty')}</p>`}
      <ul>
        ${list.map((v) => {
          const name = v.name || t('desk.visitor.anonymous', { id: v.visitor_id.slice(-6) });
          const invitation = invitations.value[v.visitor_id];
          const busy = v.in_conversation || invitation?.state === 'sent' || v.invited;
          return html`
            <li key=${v.visitor_id} class="browsing" data-visitor=${v.visitor_id}>
              <div class="row"><span class="name">${name}</span>
                ${v.returning && html`<span class="tag">${t('desk.online.returning')}</span>`}</div>
              <div class="small page" title=${v.page?.url || ''}>${v.page?.title || v.page?.url || ''}</div>
              <div class="soft small">${[v.source, v.region, t('desk.online.onSite', {
                time: formatDuration(v.on_site_s || 0) })].filter(Boolean).join(' · ')}</div>
              ${invitation && html`<div class="small outcome" role="status">${OUTCOMES[invitation.state]?.()}</div>`}
              <button class="small" disabled=${busy} onClick=${() => inviteVisitor(v.visitor_id)}
                      aria-label=${t('desk.online.inviteNamed', { name })}>${t('desk.online.invite')}</button>
            </li>`;
        })}
      </ul>
    </section>`;
}
