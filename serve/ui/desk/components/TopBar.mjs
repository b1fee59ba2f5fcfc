// The bar above the three columns: who I am, my status, sounds, language, sign out.
import { html } from 'htm/preact';
import { t } from 'kefu/i18n.mjs';
import { setStatus } from '../actions.mjs';
import { ordered } from '../state/conversations.mjs';
import { me, signOut, status } from '../state/session.mjs';
import { allow, blocked, leader, muted } from '../state/sounds.mjs';
import { connectionState } from '../socket.mjs';
import { LanguagePicker } from 'kefu/LanguagePicker.mjs';

const STATUS_NAMES = {
  online: () => t('desk.status.online'),
  away: () => t('desk.status.away'),
  offline: () => t('desk.status.offline'),
};

export function TopBar() {
  const current = status.value?.status || 'offline';
  // Counted from the list (the status frame only comes when the status changes).
  const active = ordered.value.filter((c) => c.role === 'owner' && c.state === 'open').length;
  const cap = status.value?.max_concurrent ?? me.value?.max_concurrent;
  const load = cap ? `${active}/${cap}` : '';
  return html`
    <header class="topbar">
      <h1 class="brand">${t('desk.title')}</h1>
      <span class="who">${me.value?.display_name || me.value?.username || ''}</span>
      <label class="status">
        <span class=${`dot ${current}`} aria-hidden="true"></span>
        <select aria-label=${t('desk.status.label')} value=${current} disabled=${connectionState.value !== 'open'}
                onChange=${(e) => {
                  setStatus(e.target.value);
                  e.target.value = current; // shows the server's answer (the status frame), not the wish
                }}>
          ${Object.entries(STATUS_NAMES).map(([value, name]) => html`<option value=${value}>${name()}</option>`)}
        </select>
      </label>
      <span class="soft load" title=${t('desk.status.load')}>${load && t('desk.status.loadValue', { load })}</span>
      <span class="spacer"></span>
      ${blocked.value && html`
        <button class="warn" onClick=${allow}>${t('desk.sounds.blocked')}</button>`}
      <button class="ghost" aria-pressed=${muted.value ? 'true' : 'false'}
              title=${leader.value ? t('desk.sounds.leader') : t('desk.sounds.follower')}
              onClick=${() => { muted.value = !muted.value; }}>
        ${muted.value ? t('desk.sounds.off') : t('desk.sounds.on')}
      </button>
      <${LanguagePicker} app="desk" />
      <button class="ghost" onClick=${() => signOut()}>${t('signOut')}</button>
    </header>
    ${connectionState.value === 'lost' && html`<div class="banner lost" role="status">${t('connection.lost')}</div>`}
    ${connectionState.value === 'connecting' && html`<div class="banner lost" role="status">${t('connection.connecting')}</div>`}`;
}
