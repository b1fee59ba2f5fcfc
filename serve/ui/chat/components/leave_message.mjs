// Nobody can answer now (out of hours, or the line overflowed to a left message):
// the visitor leaves a message. What they type lives in the store, so a reconnect
// or a re-render never loses it.
import { html } from 'htm/preact';
import { t } from 'kefu/i18n.mjs';

import { leaveForm, offlineReason, updateLeaveForm } from '../store/conversation.mjs';
import { leaveMessage } from '../store/session.mjs';
import { config } from '../store/widget.mjs';

function Field({ name, label, multiline, required, autocomplete }) {
  const value = leaveForm.value[name];
  const onInput = (event) => updateLeaveForm({ [name]: event.currentTarget.value });
  const id = `leave-${name}`;
  return html`<label for=${id}>${label}${required ? ' *' : ''}</label>
    ${multiline
      ? html`<textarea id=${id} rows="4" maxlength="5000" required=${required} value=${value} onInput=${onInput}></textarea>`
      : html`<input id=${id} maxlength="200" required=${required} autocomplete=${autocomplete} value=${value}
                    onInput=${onInput} />`}`;
}

export function LeaveMessageForm() {
  const form = leaveForm.value;
  if (form.status === 'sent') {
    return html`<section class="panel-note" role="status"><p>${t('chat.leave_thanks')}</p></section>`;
  }
  const intro = config.value.offline_message
    || (offlineReason.value === 'queue_timeout' ? t('chat.offline_busy') : t('chat.offline_hours'));
  const onSubmit = (event) => {
    event.preventDefault();
    if (form.contact.trim() && form.body.trim()) leaveMessage();
  };
  return html`<form class="leave" onSubmit=${onSubmit} aria-labelledby="leave-title">
    <h2 id="leave-title">${t('chat.leave_title')}</h2>
    <p class="hint">${intro}</p>
    <${Field} name="name" label=${t('chat.leave_name')} autocomplete="name" />
    <${Field} name="contact" label=${t('chat.leave_contact')} required autocomplete="email" />
    <${Field} name="body" label=${t('chat.leave_body')} multiline required />
    ${form.status === 'failed' ? html`<p class="error" role="alert">${t('chat.leave_failed')}</p>` : null}
    <button type="submit" class="primary" disabled=${form.status === 'sending'}>
      ${form.status === 'sending' ? t('message.sending') : t('chat.leave_send')}</button>
  </form>`;
}
