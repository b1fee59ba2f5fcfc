// The sign-in form: a wrong password says so and keeps the username.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import { login } from '../api/auth.mjs';
import { signIn, signedOutReason } from '../state/session.mjs';
import { LanguagePicker } from './LanguagePicker.mjs';

export function Login() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      signIn(await login(username.trim(), password));
    } catch (failure) {
      setPassword('');
      setError(failure.status === 401 ? t('desk.login.wrong')
        : failure.status === 429 ? t('desk.login.locked') : t('desk.login.failed'));
    } finally {
      setBusy(false);
    }
  }

  const reason = signedOutReason.value === 'expired' ? t('desk.login.expired') : null;
  return html`
    <main class="login">
      <form class="login-card" onSubmit=${submit} aria-labelledby="login-title">
        <h1 id="login-title">${t('desk.title')}</h1>
        <p class="soft">${t('desk.login.intro')}</p>
        ${reason && html`<p class="notice info" role="status">${reason}</p>`}
        <label>${t('desk.login.username')}
          <input name="username" autocomplete="username" required value=${username}
                 onInput=${(e) => setUsername(e.target.value)} /></label>
        <label>${t('desk.login.password')}
          <input name="password" type="password" autocomplete="current-password" required value=${password}
                 onInput=${(e) => setPassword(e.target.value)} /></label>
        ${error && html`<p class="notice error" role="alert">${error}</p>`}
        <button class="primary" type="submit" disabled=${busy}>${t('desk.login.submit')}</button>
        <${LanguagePicker} />
      </form>
    </main>`;
}
