// The console (PROTOCOL.md 1.1 `/console`) for supervisors and admins: records and
// supervision, reports, and the center's settings. Every call is checked by the server.
import { render } from 'preact';
import { html } from 'htm/preact';
import { effect } from '@preact/signals';
import { optional } from 'kefu/http.mjs';
import { lang, preferredLanguage, t, useLanguage } from 'kefu/i18n.mjs';
import { App } from './components/App.mjs';
import { connect, disconnect } from './socket.mjs';
import { me, token } from './state/session.mjs';

await useLanguage('console', preferredLanguage());

effect(() => {
  lang.value; // eslint-disable-line no-unused-expressions -- re-title on a language switch
  document.title = t('console.title');
});

effect(() => {
  const current = token.value;
  if (!current) { disconnect(); return; }
  optional('GET', '/api/v1/agents/me').then((answer) => {
    if (token.value !== current || !answer) return;
    me.value = answer;
    if (['admin', 'supervisor'].includes(answer.role)) connect(current);
  }).catch(() => {});
});

render(html`<${App} />`, document.getElementById('app'));
