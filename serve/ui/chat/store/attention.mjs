// Getting the visitor's attention for an agent message they have not seen: the
// unread count (on the loader's launcher and in the page title while the chat is
// closed or the tab hidden) and a soft sound while the tab is hidden. Messages from
// the history or a resume of what was shown before never count (the session calls
// this only for new seqs after a conversation's history has loaded).
import { effect } from '@preact/signals';

import { embedded, toHost } from '../host.mjs';
import { chime } from '../sound.mjs';
import { panelOpen, unread } from './widget.mjs';

const UNREAD_PREFIX = /^\(\d+\) /;

function unseen() {
  return document.visibilityState === 'hidden' || (embedded && !panelOpen.value);
}

export function noticeNewAgentMessage() {
  if (unseen()) unread.value += 1;
  if (document.visibilityState === 'hidden') chime();
}

function seen() {
  if (!unseen()) unread.value = 0;
}

document.addEventListener('visibilitychange', seen);
effect(() => {
  if (panelOpen.value) seen();
});

effect(() => {
  const count = unread.value;
  if (embedded) {
    toHost({ kefu: 'unread', count });
    return;
  }
  const plain = document.title.replace(UNREAD_PREFIX, '');
  document.title = count ? `(${count}) ${plain}` : plain;
});
