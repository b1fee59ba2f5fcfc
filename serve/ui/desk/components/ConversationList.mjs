// My conversations: unread counts, the last line, and the ones that ended or went to
// someone else greyed at the bottom.
import { html } from 'htm/preact';
import { t } from 'kefu/i18n.mjs';
import { close as closeColleague } from '../state/colleagues.mjs';
import { activeId, ordered, select } from '../state/conversations.mjs';
import { visitorLabel } from './names.mjs';

function lastLine(c) {
  const last = [...c.messages].reverse().find((m) => m.body || m.attachments?.length);
  if (!last) return t('desk.list.noMessages');
  if (!last.body) return t('desk.list.attachment');
  return last.visibility === 'internal' ? t('desk.list.note', { text: last.body }) : last.body;
}

const STATE_NAMES = {
  ended: () => t('desk.list.ended'),
  away: () => t('desk.list.away'),
};

export function ConversationList() {
  const list = ordered.value;
  if (!list.length) return html`<p class="empty">${t('desk.list.empty')}</p>`;
  return html`
    <ul class="conversations" aria-label=${t('desk.list.label')}>
      ${list.map((c) => {
        const name = visitorLabel(c);
        const stateName = STATE_NAMES[c.state]?.();
        const label = [name, c.unread ? t('desk.list.unread', { n: c.unread }) : '', stateName || '']
          .filter(Boolean).join(', ');
        return html`
          <li key=${c.id} class=${`conversation ${c.state} ${c.id === activeId.value ? 'selected' : ''}`}
              data-conversation=${c.id}>
            <button aria-label=${label} aria-current=${c.id === activeId.value ? 'true' : undefined}
                    onClick=${() => { closeColleague(); select(c.id); }}>
              <span class="row">
                <span class="name">${name}</span>
                ${c.role !== 'owner' && html`<span class="tag">${t('desk.list.collaborating')}</span>`}
                ${c.unread > 0 && html`<span class="badge" aria-hidden="true">${c.unread}</span>`}
              </span>
              <span class="preview">${stateName ? `${stateName} · ` : ''}${c.typing ? t('desk.list.typing') : lastLine(c)}</span>
            </button>
          </li>`;
      })}
    </ul>`;
}
