// Choosing whom to hand a conversation to (or invite into it): the department/group
// tree of GET /api/v1/directory with each agent's status and load, my three most
// recent targets first. mode: 'transfer' (agents or whole groups) | 'invite' (agents).
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import { available, recent, refresh, tree } from '../state/directory.mjs';
import { me } from '../state/session.mjs';

const REFRESH_MS = 5000;
const STATUS = {
  online: () => t('desk.status.online'),
  away: () => t('desk.status.away'),
  offline: () => t('desk.status.offline'),
};

function AgentRow({ agent, onChoose }) {
  const full = agent.active >= agent.max_concurrent;
  const label = t('desk.target.agentNamed', { name: agent.display_name, status: STATUS[agent.status]?.() || agent.status,
    load: `${agent.active}/${agent.max_concurrent}` });
  return html`
    <li class="agent">
      <button class="target" aria-label=${label} disabled=${agent.status === 'offline'}
              onClick=${() => onChoose({ agent_id: agent.agent_id, display_name: agent.display_name })}>
        <span class=${`dot ${agent.status}`} aria-hidden="true"></span>
        <span class="name">${agent.display_name}</span>
        <span class="soft small">${STATUS[agent.status]?.() || agent.status}</span>
        <span class=${`load small ${full ? 'full' : ''}`}>${agent.active}/${agent.max_concurrent}</span>
      </button>
    </li>`;
}

// The groups and agents matching the filter (a group's name shows all its agents);
// never myself.
function shown(groups, query, myId) {
  const q = query.trim().toLowerCase();
  return groups.map((group) => {
    const groupMatches = !q || `${group.name || ''} ${group.display_name || ''}`.toLowerCase().includes(q);
    const agents = group.agents.filter((a) => a.agent_id !== myId
      && (groupMatches || a.display_name.toLowerCase().includes(q)));
    return { ...group, agents, groupMatches };
  }).filter((group) => group.agents.length || (group.groupMatches && group.name));
}

export function TargetPicker({ mode, onChoose, onClose }) {
  const [note, setNote] = useState('');
  const [query, setQuery] = useState('');
  const dialog = useRef(null);
  useEffect(() => {
    refresh();
    dialog.current?.showModal?.();
    const live = setInterval(refresh, REFRESH_MS); // statuses and loads change while it is open
    return () => clearInterval(live);
  }, []);
  const myId = me.value?.agent_id;
  const choose = (target) => onChoose(target, note.trim());
  const title = mode === 'transfer' ? t('desk.target.transferTitle') : t('desk.target.inviteTitle');
  return html`
    <dialog ref=${dialog} class="targets" aria-label=${title} onClose=${onClose} onCancel=${onClose}>
      <h2>${title}</h2>
      ${mode === 'transfer' && recent.value.length > 0 && html`
        <div class="recent" role="group" aria-label=${t('desk.target.recent')}>
          <span class="soft small">${t('desk.target.recent')}</span>
          ${recent.value.map((target) => html`
            <button class="chip" onClick=${() => choose(target)}>${target.display_name || target.skill_group}</button>`)}
        </div>`}
      ${!available.value && html`<p class="notice error">${t('desk.target.unavailable')}</p>`}
      ${available.value && !tree.value && html`<p class="soft">${t('desk.target.loading')}</p>`}
      <input class="filter" type="search" aria-label=${t('desk.target.filter')} placeholder=${t('desk.target.filter')}
             value=${query} onInput=${(e) => setQuery(e.target.value)} />
      <ul class="tree">
        ${shown(tree.value?.groups || [], query, myId).map((group) => html`
          <li class="group" key=${group.name || '-'}>
            <div class="group-row">
              <span class="name">${group.name ? group.display_name || group.name : t('desk.target.noGroup')}</span>
              ${mode === 'transfer' && group.name && html`
                <button class="small" onClick=${() => choose({ skill_group: group.name, display_name: group.display_name || group.name })}
                        aria-label=${t('desk.target.groupNamed', { name: group.display_name || group.name })}>
                  ${t('desk.target.toGroup')}</button>`}
            </div>
            <ul>${group.agents.map((agent) => html`
              <${AgentRow} key=${agent.agent_id} agent=${agent} onChoose=${choose} />`)}</ul>
          </li>`)}
      </ul>
      ${mode === 'transfer' && html`
        <label class="note">${t('desk.target.note')}
          <input maxlength="500" value=${note} onInput=${(e) => setNote(e.target.value)} /></label>`}
      <div class="actions"><button onClick=${onClose}>${t('desk.cancel')}</button></div>
    </dialog>`;
}
