// The chat app's entry (scaffold: the app itself is built under issue 9).
import { render } from 'preact';
import { html } from 'htm/preact';
import { preferredLanguage, t, useLanguage } from 'kefu/i18n.mjs';

function App() {
  return html`<main><h1>${t('chat.title')}</h1></main>`;
}

await useLanguage('chat', preferredLanguage());
document.title = t('chat.title');
render(html`<${App} />`, document.getElementById('app'));
