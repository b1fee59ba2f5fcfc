// The chat's header: the center's logo and title, or the serving agent's name and
// icon once assigned (the bot's name while it serves); the help center link (a tab of
// its own), the language switch, ending the chat, closing the widget.
import { html } from 'htm/preact';
import { LANGUAGE_NAMES, LANGUAGES, lang, t } from 'kefu/i18n.mjs';

import { BOT_PHASES } from '../store/bot.mjs';
import { agent, bot, phase } from '../store/conversation.mjs';
import { config } from '../store/widget.mjs';
import { safeAttachmentUrl } from '../text.mjs';

export function Header({ embedded, onLanguage, onClose }) {
  const settings = config.value;
  const serving = phase.value === 'assigned' && agent.value;
  const botServing = BOT_PHASES.has(phase.value) && bot.value;
  const logo = safeAttachmentUrl(serving ? settings.agent_icon_url : settings.logo_url);
  const title = settings.title || t('chat.title');
  return html`<header class="header">
    ${logo ? html`<img class="logo" src=${logo} alt="" />` : html`<span class="logo dot" aria-hidden="true"></span>`}
    <div class="names">
      <h1>${title}</h1>
      <p class="sub">${serving ? t('chat.serving', { name: agent.value.display_name || t('chat.agent') })
        : botServing ? t('chat.serving', { name: bot.value.name || t('chat.bot') }) : t('chat.subtitle')}</p>
    </div>
    <a class="header-link help-link" href=${`/help?lang=${encodeURIComponent(lang.value)}`} target="_blank"
       rel="noopener noreferrer">${t('chat.help')}</a>
    <label class="visually-hidden" for="language">${t('language.label')}</label>
    <select id="language" class="language" value=${lang.value} onChange=${(e) => onLanguage(e.currentTarget.value)}>
      ${LANGUAGES.map((code) => html`<option value=${code}>${LANGUAGE_NAMES[code]}</option>`)}
    </select>
    ${embedded ? html`<button type="button" class="header-button close" aria-label=${t('chat.close')}
                               onClick=${onClose}>✕</button>` : null}
  </header>`;
}
