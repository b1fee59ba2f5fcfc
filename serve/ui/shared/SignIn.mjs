// The staff sign-in form of the desk and the console: a wrong password says so and
// keeps the username. `onSignedIn(answer)` gets the login answer ({token, role, ...}).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import { request } from 'kefu/http.mjs';
import { LanguagePicker } from 'kefu/LanguagePicker.mjs';

export function SignIn({ app, title, intro, expired, onSignedIn }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await request('POST', '/api/v1/auth/login',
        { username: username.trim(), password }, { authorized: false }));
    } catch (failure) {
      setPassword('');
      setError(failure.status === 401 ? t('login.wrong')
        : failure.status === 429 ? t('login.locked') : t('login.failed'));
    } finally {
      setBusy(false);
    }
  }

  return html`
    <main class="login">
      <form class="login-card" onSubmit=${submit} aria-labelledby="login-title">
        <h1 id="login-title">${title}</h1>
        <p class="soft">${intro}</p>
        ${expired && html`<p class="notice info" role="status">${t('login.expired')}</p>`}
        <label>${t('login.username')}
          <input name="username" autocomplete="username" required value=${username}
                 onInput=${(e) => setUsername(e.target.value)} /></label>
        <label>${t('login.password')}
          <input name="password" type="password" autocomplete="current-password" required value=${password}
                 onInput=${(e) => setPassword(e.target.value)} /></label>
        ${error && html`<p class="notice error" role="alert">${error}</p>`}
        <button class="primary" type="submit" disabled=${busy}>${t('login.submit')}</button>
        <${LanguagePicker} app=${app} />
      </form>
    </main>`;
}
