// The canned-reply list `/` opens: filtered by what follows the slash, grouped by
// category, chosen with the arrow keys and Enter (or a click).
import { html } from 'htm/preact';
import { t } from 'kefu/i18n.mjs';
import { available } from '../state/canned.mjs';

export function CannedPicker({ items, selected, onChoose }) {
  if (!available.value) return html`<div class="popover canned" role="status">${t('desk.canned.unavailable')}</div>`;
  if (!items.length) return html`<div class="popover canned" role="status">${t('desk.canned.none')}</div>`;
  let category = null;
  return html`
    <ul class="popover canned" role="listbox" id="canned-list" aria-label=${t('desk.canned.label')}>
      ${items.map((reply, index) => {
        const heading = reply.category !== category ? (category = reply.category, true) : false;
        return html`
          ${heading && html`<li class="category" role="presentation">${reply.category || t('desk.canned.uncategorised')}</li>`}
          <li role="option" id=${`canned-${index}`} aria-selected=${index === selected ? 'true' : 'false'}
              class=${index === selected ? 'selected' : ''}
              onMouseDown=${(e) => { e.preventDefault(); onChoose(reply); }}>
            <span class="title">${reply.title}</span>
            <span class="tag">${reply.scope === 'public' ? t('desk.canned.public') : t('desk.canned.personal')}</span>
            <span class="soft small body">${reply.body}</span>
          </li>`;
      })}
    </ul>`;
}
