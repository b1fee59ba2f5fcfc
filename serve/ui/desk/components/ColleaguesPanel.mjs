// Colleagues (内部对话): everyone on the staff with their status, chats with unread
// messages first, then the most recent, then by name. Choosing one opens the chat.
import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import { chats, open, openId } from '../state/colleagues.mjs';
import { refresh, tree } from '../state/directory.mjs';
import { me } from '../state/session.mjs';

const STATUS_REFRESH_MS = 15000; // colleagues' presence, read again while the list is shown

const STATUS = { online: () => t('desk.status.online'), away: () => t('desk.status.away'),
  offline: () => t('desk.status.offline') };

function colleagues() {
  const mine = me.value?.agent_id;
  const people = new Map();
  for (const group of tree.value?.groups || []) {
    for (const agent of group.agents) {
      if (agent.agent_id !== mine) people.set(agent.agent_id, { id: agent.agent_id, name: agent.display_name, status: agent.status });
    }
  }
  for (const chat of Object.values(chats.value)) {
    if (!people.has(chat.id)) people.set(chat.id, { id: chat.id, name: chat.name, status: 'offline' });
  }
  const lastAt = (id) => {
    const last = chats.value[id]?.messages.at(-1);
    return last?.ts ? Date.parse(last.ts) : last ? Date.now() : 0;
  };
  return [...people.values()].sort((a, b) => (chats.value[b.id]?.unread || 0) - (chats.value[a.id]?.unread || 0)
    || lastAt(b.id) - lastAt(a.id) || (a.name || '').localeCompare(b.name || ''));
}

export function ColleaguesPanel() {
  useEffect(() => {
    refresh();
    const again = setInterval(refresh, STATUS_REFRESH_MS);
    return () => clearInterval(again);
  }, []);
  const list = colleagues();
  if (!list.length) return html`<p class="empty">${t('desk.colleagues.empty')}</p>`;
  return html`
    <ul class="conversations colleagues" aria-label=${t('desk.colleagues.label')}>
      ${list.map((person) => {
        const chat = chats.value[person.id];
        const last = chat?.messages.at(-1);
        const status = STATUS[person.status]?.() || person.status;
        const name = person.name || t('desk.agent.unknown');
        const label = [name, status, chat?.unread ? t('desk.list.unread', { n: chat.unread }) : ''].filter(Boolean).join(', ');
        const selected = openId.value === person.id;
        return html`
          <li key=${person.id} class=${`conversation ${selected ? 'selected' : ''}`} data-colleague=${person.id}>
            <button aria-label=${label} aria-current=${selected ? 'true' : undefined}
                    onClick=${() => open(person.id, person.name)}>
              <span class="row">
                <span class=${`dot ${person.status}`} aria-hidden="true"></span>
                <span class="name">${name}</span>
                ${chat?.unread > 0 && html`<span class="badge" aria-hidden="true">${chat.unread}</span>`}
              </span>
              <span class="preview">${last ? last.body : status}</span>
            </button>
          </li>`;
      })}
    </ul>`;
}
