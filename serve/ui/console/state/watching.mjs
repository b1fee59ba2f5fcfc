// The conversation the supervisor has open in the records page: its row, its messages
// (history from REST, then live from the socket, each seq once), the visitor's typing
// preview while they type, and the supervision mode the center confirmed.
import { signal } from '@preact/signals';

export const watched = signal(null); // {id, row, messages: [...], preview, mode, ended}

export function open(id, row, messages) {
  watched.value = { id, row, messages: [...messages].sort((a, b) => a.seq - b.seq), preview: '',
    mode: null, ended: row.status === 'ended' };
}

export function close() { watched.value = null; }

function change(id, fn) {
  const current = watched.value;
  if (!current || current.id !== id) return;
  watched.value = { ...current, ...fn(current) };
}

export function received(message) {
  change(message.conversation_id, (c) => (c.messages.some((m) => m.seq === message.seq) ? {}
    : { messages: [...c.messages, message].sort((a, b) => a.seq - b.seq),
      preview: message.sender?.kind === 'visitor' ? '' : c.preview }));
}

export function previewed(id, text) { change(id, () => ({ preview: text })); }
export function supervising(id, mode) { change(id, () => ({ mode })); }
export function ended(id) { change(id, () => ({ ended: true, mode: null, preview: '' })); }
export function owner(id, agentId) { change(id, (c) => ({ row: { ...c.row, agent_id: agentId } })); }
export function replaced(id, row) { change(id, () => ({ row })); }
