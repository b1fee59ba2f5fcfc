// The widget's navigation menu (导航菜单): before a conversation, the visitor picks the
// business they need, and the chat is asked of that business's skill group. Labels are
// the admin's text, shown as text, in the visitor's language where one was given.
import { html } from 'htm/preact';
import { lang, t } from 'kefu/i18n.mjs';

import { skillGroup } from '../host.mjs';
import { chosenGroup, phase } from '../store/conversation.mjs';
import { chooseGroup } from '../store/session.mjs';
import { config } from '../store/widget.mjs';

// Shown while nothing is asked yet, unless the page itself names the skill group.
export function menuShown() {
  return phase.value === 'idle' && !skillGroup && !chosenGroup.value && config.value.menu.length > 0;
}

export function Menu() {
  const zh = lang.value === 'zh-CN';
  return html`<section class="menu" aria-labelledby="menu-title">
    <h2 id="menu-title">${t('chat.menu.title')}</h2>
    <ul>
      ${config.value.menu.map((entry) => html`<li>
        <button type="button" onClick=${() => chooseGroup(entry.skill_group)}>
          ${(zh && entry.label_zh) || entry.label}</button></li>`)}
    </ul>
  </section>`;
}
