// The middle column: the conversation's header with its actions, the messages and
// the composer.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import { end, inviteCollaborator, leave, transfer } from '../actions.mjs';
import { promote } from '../state/knowledge.mjs';
import { agentLabel, visitorLabel } from './names.mjs';
import { Composer } from './Composer.mjs';
import { MessageList } from './MessageList.mjs';
import { TargetPicker } from './TargetPicker.mjs';

export function ConversationView({ c }) {
  const [picking, setPicking] = useState(null); // 'transfer' | 'invite'
  if (!c) return html`<section class="conversation-view empty-view"><p>${t('desk.view.none')}</p></section>`;
  const owner = c.role === 'owner';
  const open = c.state === 'open';
  const others = Object.values(c.participants).filter((p) => p.role === 'collaborator');

  function chosen(target, note) {
    if (picking === 'transfer') transfer(c.id, target, note);
    else inviteCollaborator(c.id, target.agent_id);
    setPicking(null);
  }

  return html`
    <section class="conversation-view" aria-labelledby="view-title">
      <header class="view-head">
        <div>
          <h2 id="view-title">${visitorLabel(c)}</h2>
          <div class="soft small">
            ${c.skillGroup && html`<span>${c.skillGroup}</span>`}
            ${c.transferredFrom && html` · <span class="transferred-from">${t('desk.view.transferredFrom', { name: agentLabel(c.transferredFrom) })}</span>`}
            ${others.length > 0 && html` · <span>${t('desk.view.with', { names: others.map((p) => agentLabel(p.id)).join(', ') })}</span>`}
            ${c.state === 'ended' && html` · <span>${t('desk.view.ended')}</span>`}
            ${c.state === 'away' && html` · <span>${t('desk.view.away')}</span>`}
          </div>
        </div>
        <span class="spacer"></span>
        ${open && owner && html`
          <button onClick=${() => setPicking('transfer')}>${t('desk.view.transfer')}</button>
          <button onClick=${() => setPicking('invite')}>${t('desk.view.invite')}</button>
          <button class="danger" onClick=${() => end(c.id)}>${t('desk.view.end')}</button>`}
        ${c.state === 'ended' && html`
          <button class="promote" onClick=${() => promote(c.id)}>${t('desk.kb.promote')}</button>`}
        ${open && c.role === 'collaborator' && html`
          <button onClick=${() => leave(c.id)}>${t('desk.view.leave')}</button>`}
      </header>
      <${MessageList} c=${c} />
      <${Composer} key=${c.id} c=${c} />
      ${picking && html`<${TargetPicker} mode=${picking} onChoose=${chosen} onClose=${() => setPicking(null)} />`}
    </section>`;
}
