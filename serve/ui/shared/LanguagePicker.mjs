// English / 简体中文, remembered for the next visit. `app` names the page's catalogue.
import { html } from 'htm/preact';
import { LANGUAGE_NAMES, LANGUAGES, lang, t, useLanguage } from 'kefu/i18n.mjs';

export function LanguagePicker({ app }) {
  return html`
    <label class="language">${t('language.label')}
      <select value=${lang.value} onChange=${(e) => useLanguage(app, e.target.value, { remember: true })}>
        ${LANGUAGES.map((code) => html`<option value=${code}>${LANGUAGE_NAMES[code]}</option>`)}
      </select>
    </label>`;
}
