// The desk app's entry (scaffold: the app itself is built under issue 9).
import { render } from 'preact';
import { html } from 'htm/preact';
import { preferredLanguage, t, useLanguage } from 'kefu/i18n.mjs';

function App() {
  return html`<main><h1>${t('desk.title')}</h1></main>`;
}

await useLanguage('desk', preferredLanguage());
document.title = t('desk.title');
render(html`<${App} />`, document.getElementById('app'));
