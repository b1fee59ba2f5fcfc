// The answer provider of the center's bot: the built-in search, or an OpenAI-compatible
// chat endpoint grounded in the articles it finds. The key is write-only: the form shows
// whether one is set (and its last four characters) and sends a key only when one is typed.
// "Try a question" asks the stored provider, as a visitor's question would be answered.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/bot.mjs';
import { attempt, useLoad } from './useLoad.mjs';

const KINDS = ['builtin', 'openai_compatible'];

function toForm(stored) {
  return { kind: stored.kind, base_url: stored.base_url, model: stored.model, timeout_s: stored.timeout_s, api_key: '' };
}

function keyState(stored) {
  return stored.api_key_set ? t('console.bot.keySet', { hint: stored.api_key_hint || '…' }) : t('console.bot.keyNotSet');
}

function TriedAnswer({ answer }) {
  return html`
    <div class="panel bot-tried" role="status" aria-label=${t('console.bot.tried')}>
      <p class="soft">${t('console.bot.triedBy', { provider: t(`console.bot.kind.${answer.provider}`),
        confidence: answer.confidence.toFixed(2) })}</p>
      ${answer.answered ? html`<p class="bot-answer">${answer.text}</p>`
        : answer.choices.length ? html`<p>${t('console.bot.choices')}</p>
            <ul>${answer.choices.map((c) => html`<li data-article=${c.article_id}>${c.title}</li>`)}</ul>`
          : html`<p>${t('console.bot.noAnswer')}</p>`}
      ${answer.error && html`<p class="error-text">${t('console.bot.failed', { error: answer.error })}</p>`}
    </div>`;
}

function TryQuestion({ threshold }) {
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState(null);
  async function ask(event) {
    event.preventDefault();
    const got = await attempt(() => api.tryQuestion(question.trim(), Number(threshold)));
    if (got) setAnswer(got);
  }
  return html`
    <form class="hours" aria-label=${t('console.bot.try')} onSubmit=${ask}>
      <h3>${t('console.bot.try')}</h3>
      <label>${t('console.bot.question')}<input name="question" required maxlength="500" value=${question}
        onInput=${(e) => setQuestion(e.target.value)} /></label>
      <p class="soft">${t('console.bot.tryExplain', { threshold: Number(threshold).toFixed(2) })}</p>
      <div class="dialog-actions"><button class="primary" type="submit">${t('console.bot.ask')}</button></div>
      ${answer && html`<${TriedAnswer} answer=${answer} />`}
    </form>`;
}

export function BotProviderForm({ threshold }) {
  const [stored, reload] = useLoad(api.answerProvider);
  const [form, setForm] = useState(null);
  useEffect(() => { if (stored) setForm(toForm(stored)); }, [stored]);
  if (!form) return html`<p class="empty">${t('console.loading')}</p>`;
  const set = (key, value) => setForm({ ...form, [key]: value });
  const change = (apiKey) => {
    const body = { kind: form.kind, base_url: form.base_url.trim(), model: form.model.trim(),
      timeout_s: Number(form.timeout_s) };
    // Left out, the stored key stays: the console never knows it.
    if (apiKey !== undefined) body.api_key = apiKey;
    return attempt(() => api.setAnswerProvider(body), { done: t('console.saved'), reload });
  };
  const save = (event) => { event.preventDefault(); change(form.api_key ? form.api_key : undefined); };
  const remote = form.kind === 'openai_compatible';
  return html`
    <form class="hours" aria-label=${t('console.bot.provider')} onSubmit=${save}>
      <h3>${t('console.bot.provider')}</h3>
      <label>${t('console.bot.kind')}
        <select name="kind" value=${form.kind} onChange=${(e) => set('kind', e.target.value)}>
          ${KINDS.map((kind) => html`<option value=${kind}>${t(`console.bot.kind.${kind}`)}</option>`)}
        </select></label>
      <p class="soft">${t(remote ? 'console.bot.remoteExplain' : 'console.bot.builtinExplain')}</p>
      ${remote && html`
        <label>${t('console.bot.baseUrl')}<input name="base_url" type="url" required maxlength="500"
          placeholder="https://api.example.com/v1" value=${form.base_url} onInput=${(e) => set('base_url', e.target.value)} /></label>
        <label>${t('console.bot.model')}<input name="model" required maxlength="200" value=${form.model}
          onInput=${(e) => set('model', e.target.value)} /></label>
        <label>${t('console.bot.apiKey')}<input name="api_key" type="password" autocomplete="off" maxlength="500"
          value=${form.api_key} placeholder=${stored.api_key_set ? stored.api_key_hint || '…' : ''} onInput=${(e) => set('api_key', e.target.value)} /></label>
        <p class="soft key-state">${keyState(stored)}
          ${stored.api_key_set && html` <button type="button" class="small" onClick=${() => change('')}>
            ${t('console.bot.clearKey')}</button>`}</p>
        <label>${t('console.bot.timeout')}<input name="timeout_s" type="number" min="0.5" max="60" step="0.5" required
          value=${form.timeout_s} onInput=${(e) => set('timeout_s', e.target.value)} /></label>`}
      <div class="dialog-actions"><button class="primary" type="submit">${t('console.save')}</button></div>
    </form>
    <${TryQuestion} threshold=${threshold} />`;
}
