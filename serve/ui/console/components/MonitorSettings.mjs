// The live monitor's targets and alerts: the SLA targets (answered within N s of the
// request, first response within N s of the assignment), the alert thresholds (a wait,
// a visitor without an answer) and the sensitive words a message is watched for.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/admin.mjs';
import { attempt, useLoad } from './useLoad.mjs';

const TARGETS = ['answer_within_s', 'first_response_within_s', 'wait_alert_s', 'no_answer_alert_s'];

// Shown once the list is read, so nothing typed is overwritten by the list arriving.
function WordsForm({ words, admin }) {
  const [text, setText] = useState(words.join('\n'));
  const saveWords = (event) => {
    event.preventDefault();
    attempt(() => api.setSensitiveWords(text.split('\n').map((w) => w.trim()).filter(Boolean)),
      { done: t('console.saved') });
  };
  return html`
    <form class="hours" aria-label=${t('console.center.words')} onSubmit=${saveWords}>
      <h3>${t('console.center.words')}</h3>
      <p class="soft">${t('console.center.wordsExplain')}</p>
      <label>${t('console.center.wordList')}<textarea name="words" rows="6" disabled=${!admin} value=${text}
        onInput=${(e) => setText(e.target.value)}></textarea></label>
      ${admin && html`<div class="dialog-actions"><button class="primary" type="submit">${t('console.save')}</button></div>`}
    </form>`;
}

export function MonitorSettings({ monitor, admin, save }) {
  const [targets, setTargets] = useState({ ...monitor });
  const [words] = useLoad(api.sensitiveWords);
  const saveTargets = (event) => {
    event.preventDefault();
    save({ monitor: Object.fromEntries(TARGETS.map((key) => [key, Number(targets[key])])) });
  };
  return html`
    <form class="hours" aria-label=${t('console.center.targets')} onSubmit=${saveTargets}>
      <h3>${t('console.center.targets')}</h3>
      ${TARGETS.map((key) => html`
        <label>${t(`console.center.target.${key}`)}<input type="number" name=${key} min="1" max="86400" required
          disabled=${!admin} value=${targets[key]} onInput=${(e) => setTargets({ ...targets, [key]: e.target.value })} /></label>`)}
      ${admin && html`<div class="dialog-actions"><button class="primary" type="submit">${t('console.save')}</button></div>`}
    </form>
    ${words && html`<${WordsForm} words=${words} admin=${admin} />`}`;
}
