// The agent workspace (PROTOCOL.md 1.1 `/desk`): sign in, then one workspace socket
// feeding the stores (socket.mjs) and components that render them.
import { render } from 'preact';
import { html } from 'htm/preact';
import { effect } from '@preact/signals';
import { preferredLanguage, t, useLanguage, lang } from 'kefu/i18n.mjs';
import { me as fetchMe } from './api/auth.mjs';
import { App } from './components/App.mjs';
import { totalUnread as colleaguesUnread } from './state/colleagues.mjs';
import { step, totalUnread } from './state/conversations.mjs';
import { me, token } from './state/session.mjs';
import { connect, disconnect } from './socket.mjs';

await useLanguage('desk', preferredLanguage());

// The tab's title carries the unread count, so a background tab shows it.
effect(() => {
  const unread = totalUnread.value + colleaguesUnread.value;
  lang.value; // eslint-disable-line no-unused-expressions -- re-title on a language switch
  document.title = unread ? t('desk.titleUnread', { n: unread, title: t('desk.title') }) : t('desk.title');
});

effect(() => {
  const current = token.value;
  if (!current) { disconnect(); return; }
  connect(current);
  fetchMe().then((answer) => { if (answer) me.value = { ...(me.value || {}), ...answer }; }).catch(() => {});
});

// Alt+Up / Alt+Down switch conversations from anywhere on the page.
window.addEventListener('keydown', (event) => {
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.key === 'ArrowUp') { event.preventDefault(); step(-1); }
  if (event.key === 'ArrowDown') { event.preventDefault(); step(1); }
});

render(html`<${App} />`, document.getElementById('app'));
