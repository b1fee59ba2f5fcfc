// Left messages (留言记录) on the desk: the ones to do (new ones of my skill groups, and
// those in progress with me: the badge counts them), the replied or closed ones when
// asked for, and the one opened. The center pushes `left_message.assigned` and
// `left_message.new` (socket.mjs); each makes the lists read again, once for a burst.
import { computed, signal } from '@preact/signals';
import { newClientMsgId } from 'kefu/connection.mjs';
import * as api from '../api/left_messages.mjs';

const RELOAD_AFTER_MS = 150; // a frame on two topics (mine and my group's) reads once

export const todo = signal([]); // new + in_progress, newest first
export const shownState = signal('todo'); // todo | replied | closed
export const others = signal([]); // the replied or closed ones, when shown
export const openedId = signal(null);
export const opened = signal(null); // the detail: the item with its messages | 'gone'
export const busy = signal(false);

export const count = computed(() => todo.value.length);
export const listed = computed(() => (shownState.value === 'todo' ? todo.value : others.value));

const newestFirst = (a, b) => b.submitted_at.localeCompare(a.submitted_at);
let timer = null;

export function reset() {
  todo.value = []; others.value = []; openedId.value = null; opened.value = null; shownState.value = 'todo';
}

export async function load() {
  try {
    const [fresh, mine] = await Promise.all([api.list('new'), api.list('in_progress')]);
    todo.value = [...fresh.items, ...mine.items].sort(newestFirst);
    if (shownState.value !== 'todo') others.value = (await api.list(shownState.value)).items;
  } catch { /* kept as it was; the next frame or tab opening reads again */ }
  if (openedId.value) await readOpened();
}

export function soon() {
  clearTimeout(timer);
  timer = setTimeout(load, RELOAD_AFTER_MS);
}

export function show(state) {
  shownState.value = state;
  others.value = [];
  load();
}

async function readOpened() {
  const id = openedId.value;
  try {
    const item = await api.get(id);
    if (openedId.value === id) opened.value = item;
  } catch (error) {
    // Handed to someone else meanwhile: no longer mine to see.
    if (openedId.value === id && error.status === 404) opened.value = 'gone';
  }
}

export function open(id) {
  if (openedId.value !== id) opened.value = null;
  openedId.value = id;
  return readOpened();
}

export function closeView() { openedId.value = null; opened.value = null; }

// An action on the opened one; the answer (or the refusal) is shown by the caller.
async function act(work) {
  busy.value = true;
  try {
    await work();
  } finally {
    busy.value = false;
    await load();
  }
}

export const take = (id, agentId) => act(() => api.take(id, agentId));
export const close = (id) => act(() => api.close(id));

export function reply(id, { body, via, subject }) {
  const request = { body, via, client_msg_id: newClientMsgId(), ...(via === 'email' && subject ? { subject } : {}) };
  return act(() => api.reply(id, request));
}
