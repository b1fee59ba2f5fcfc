// The supervisor hands a live conversation on (转接): to a skill group (it waits at the
// head of that line) or to one agent (whose own entity must grant a slot). The targets
// are GET /api/v1/directory: for a supervisor of departments, only theirs.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import { directory } from '../api/records.mjs';
import { attempt } from './useLoad.mjs';

export function TransferDialog({ exceptAgent, onChoose, onClose }) {
  const [groups, setGroups] = useState(null);
  const [note, setNote] = useState('');
  const dialog = useRef(null);
  useEffect(() => {
    dialog.current?.showModal?.();
    attempt(async () => setGroups((await directory()).groups));
  }, []);
  const choose = (to) => onChoose(to, note.trim());
  return html`
    <dialog ref=${dialog} class="transfer" aria-label=${t('console.transfer.title')} onClose=${onClose} onCancel=${onClose}>
      <h3>${t('console.transfer.title')}</h3>
      ${!groups && html`<p class="soft">${t('console.loading')}</p>`}
      <ul class="targets">${(groups || []).map((group) => html`
        <li key=${group.name || '-'}>
          <div class="group-row"><strong>${group.name ? group.display_name || group.name : t('console.transfer.noGroup')}</strong>
            ${group.name && html`<button class="small" onClick=${() => choose({ skill_group: group.name })}
              aria-label=${t('console.transfer.toGroup', { name: group.display_name || group.name })}>${t('console.transfer.group')}</button>`}</div>
          <ul>${group.agents.filter((a) => a.agent_id !== exceptAgent).map((agent) => html`
            <li><button class="target" disabled=${agent.status === 'offline'} onClick=${() => choose({ agent_id: agent.agent_id })}
              aria-label=${t('console.transfer.toAgent', { name: agent.display_name })}>
              <span class=${`dot ${agent.status}`} aria-hidden="true"></span>${agent.display_name}
              <span class="soft small">${t(`console.presence.${agent.status}`)} · ${agent.active}/${agent.max_concurrent}</span></button></li>`)}
          </ul></li>`)}
      </ul>
      <label class="note">${t('console.transfer.note')}<input maxlength="500" value=${note} onInput=${(e) => setNote(e.target.value)} /></label>
      <div class="actions"><button onClick=${onClose}>${t('console.cancel')}</button></div>
    </dialog>`;
}
