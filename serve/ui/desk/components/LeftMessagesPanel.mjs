// Left messages (留言记录) in the side column: to do (new ones of my skill groups and
// those in progress with me), replied or closed; choosing one opens it in the middle.
// Names, contacts and words are the visitors' own: text children only.
import { html } from 'htm/preact';
import { formatTime, t } from 'kefu/i18n.mjs';
import { close as closeColleague } from '../state/colleagues.mjs';
import { listed, open, openedId, show, shownState } from '../state/left_messages.mjs';

export const SHOWN = ['todo', 'replied', 'closed'];

export function leftVisitorName(item) {
  return item.name || item.visitor_name || t('desk.visitor.anonymous', { id: item.visitor_id.slice(-6) });
}

export function LeftMessagesPanel() {
  const list = listed.value;
  return html`
    <section class="left-panel" aria-labelledby="left-title">
      <div class="row">
        <h2 id="left-title">${t('desk.left.title')}</h2>
        <select aria-label=${t('desk.left.show')} value=${shownState.value} onChange=${(e) => show(e.target.value)}>
          ${SHOWN.map((state) => html`<option value=${state}>${t(`desk.left.shown.${state}`)}</option>`)}
        </select>
      </div>
      ${!list.length && html`<p class="empty">${t(`desk.left.empty.${shownState.value}`)}</p>`}
      <ul class="conversations" aria-label=${t('desk.left.title')}>
        ${list.map((item) => {
          const selected = openedId.value === item.conversation_id;
          const name = leftVisitorName(item);
          const state = t(`desk.left.state.${item.state}`);
          return html`
            <li key=${item.conversation_id} class=${`conversation left-item ${selected ? 'selected' : ''}`}
                data-left=${item.conversation_id}>
              <button aria-label=${t('desk.left.itemLabel', { name, state })} aria-current=${selected ? 'true' : undefined}
                      onClick=${() => { closeColleague(); open(item.conversation_id); }}>
                <span class="row">
                  <span class="name">${name}</span>
                  <span class=${`tag left-state ${item.state}`}>${state}</span>
                </span>
                <span class="preview">${item.preview}</span>
                <span class="soft small">${[item.skill_group, formatTime(item.submitted_at)].filter(Boolean).join(' · ')}</span>
              </button>
            </li>`;
        })}
      </ul>
    </section>`;
}
