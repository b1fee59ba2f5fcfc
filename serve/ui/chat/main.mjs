// The visitor's chat: standalone at /chat (the "link" form) or in the widget's iframe
// (/chat?embedded=1, opened by /widget.js on a customer's page).
import { render } from 'preact';
import { html } from 'htm/preact';
import { preferredLanguage, t, useLanguage } from 'kefu/i18n.mjs';

import { fetchWidgetConfig } from './api/widget_config.mjs';
import { App } from './components/app.mjs';
import { embedded, onHostMessage, toHost } from './host.mjs';
import { answerInvitation, pageView, startSession } from './store/session.mjs';
import { invitation } from './store/conversation.mjs';
import { config, panelOpen } from './store/widget.mjs';

const RETRY_START_MS = 3000;

function focusComposer() {
  requestAnimationFrame(() => document.querySelector('#composer-input, #leave-contact, #rating-comment')?.focus());
}

async function switchLanguage(code) {
  await useLanguage('chat', code, { remember: !embedded }); // never third-party storage
  document.title = config.value.title || t('chat.title');
  toHost({ kefu: 'lang', lang: code });
}

function listenToHost() {
  panelOpen.value = false;
  onHostMessage({
    open() { panelOpen.value = true; focusComposer(); },
    close() { panelOpen.value = false; },
    page(m) {
      pageView({ url: String(m.url || '').slice(0, 2000), title: String(m.title || '').slice(0, 300),
                 ...(m.referrer ? { referrer: String(m.referrer).slice(0, 2000) } : {}) });
    },
    'invitation.accept'(m) { if (invitation.value?.invitation_id === m.invitation_id) answerInvitation(true); },
    'invitation.decline'(m) { if (invitation.value?.invitation_id === m.invitation_id) answerInvitation(false); },
  });
  toHost({ kefu: 'ready' });
}

async function start() {
  for (;;) {
    try {
      await startSession();
      return;
    } catch {
      await new Promise((resolve) => { setTimeout(resolve, RETRY_START_MS); }); // the center is unreachable
    }
  }
}

await useLanguage('chat', preferredLanguage());
config.value = await fetchWidgetConfig();
document.documentElement.style.setProperty('--brand', config.value.color);
document.title = config.value.title || t('chat.title');
if (embedded) {
  document.documentElement.classList.add('embedded');
  toHost({ kefu: 'config', color: config.value.color, position: config.value.position });
  listenToHost();
} else {
  pageView({ url: location.href, title: document.title, ...(document.referrer ? { referrer: document.referrer } : {}) });
}
render(html`<${App} embedded=${embedded} onLanguage=${switchLanguage} onClose=${() => toHost({ kefu: 'close' })} />`,
       document.getElementById('app'));
start();
