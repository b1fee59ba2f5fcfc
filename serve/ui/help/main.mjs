// The public help center (/help): the knowledge base's published public articles by
// category, and a search over them. Opened from the widget's "Help" link.
import { render } from 'preact';
import { html } from 'htm/preact';
import { effect } from '@preact/signals';
import { lang, preferredLanguage, t, useLanguage } from 'kefu/i18n.mjs';
import { App } from './components/App.mjs';

await useLanguage('help', preferredLanguage());

effect(() => {
  lang.value; // eslint-disable-line no-unused-expressions -- re-title on a language switch
  document.title = t('help.title');
});

render(html`<${App} />`, document.getElementById('app'));
