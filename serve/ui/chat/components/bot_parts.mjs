// The bot's look in the chat: its avatar, the choices under an unsure answer (buttons
// while it serves, a plain list after), and the "Talk to a person" button.
import { html } from 'htm/preact';
import { t } from 'kefu/i18n.mjs';

import { choicesOf, offer } from '../store/bot.mjs';
import { bot, phase } from '../store/conversation.mjs';
import { askForPerson, chooseArticle } from '../store/session.mjs';

export const BotAvatar = () => html`<span class="avatar bot-avatar" aria-hidden="true">
  <svg viewBox="0 0 24 24"><rect x="4" y="8" width="16" height="11" rx="3" /><path d="M12 4v4" />
    <circle cx="12" cy="3.5" r="1.2" class="fill" /><circle cx="9" cy="13" r="1.4" class="fill" />
    <circle cx="15" cy="13" r="1.4" class="fill" /><path d="M9.5 16.5h5" /></svg></span>`;

export function BotChoices({ message, choosable }) {
  const choices = choicesOf(message);
  if (!choices.length) return null;
  return html`<ul class="bot-choices" aria-label=${t('chat.bot.choices')}>
    ${choices.map((choice) => html`<li key=${choice.article_id}>
      ${choosable
        ? html`<button type="button" class="choice" onClick=${() => chooseArticle(choice)}>${choice.title}</button>`
        : html`<span class="choice">${choice.title}</span>`}</li>`)}
  </ul>`;
}

// Always there while the bot serves; prominent when its latest answer offers a person,
// and a "Leave a message" out of hours (the center answers the hand-off with the
// leave-message form).
export function HandoffButton() {
  if (phase.value !== 'bot') return null;
  const offered = offer();
  const leave = Boolean(offered.leave_message_offered || bot.value?.outOfHours);
  const prominent = leave || Boolean(offered.handoff_offered);
  return html`<button type="button" class=${`handoff ${prominent ? 'primary' : 'secondary'}`}
                      onClick=${askForPerson}>${leave ? t('chat.bot.leave_message') : t('chat.bot.handoff')}</button>`;
}
