// A list of short strings (keywords, synonyms, questions) as removable chips: Enter or
// a comma adds what was typed, Backspace in an empty box takes the last one back.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';

export function TagInput({ label, name, value, onChange, max = 50, commas = true }) {
  const [typed, setTyped] = useState('');
  const add = (text) => {
    const item = text.trim();
    if (item && !value.includes(item) && value.length < max) onChange([...value, item]);
    setTyped('');
  };
  function onKeyDown(event) {
    if (event.key === 'Enter' || (commas && (event.key === ',' || event.key === '，'))) {
      event.preventDefault();
      add(typed);
    } else if (event.key === 'Backspace' && !typed && value.length) {
      onChange(value.slice(0, -1));
    }
  }
  return html`
    <div class="tag-input" data-tags=${name}>
      <span class="tag-label">${label}</span>
      <ul class="chips">${value.map((item) => html`
        <li class="chip">${item}<button type="button" class="ghost small" aria-label=${t('console.kb.removeTag', { item })}
              onClick=${() => onChange(value.filter((other) => other !== item))}>×</button></li>`)}
        <li class="chip-entry"><input name=${name} value=${typed} maxlength="200" aria-label=${label}
              placeholder=${t('console.kb.tagHint')} onInput=${(e) => setTyped(e.target.value)}
              onKeyDown=${onKeyDown} onBlur=${() => typed.trim() && add(typed)} /></li>
      </ul>
    </div>`;
}
