// A few emoji an agent uses every day, inserted at the cursor.
import { html } from 'htm/preact';
import { t } from 'kefu/i18n.mjs';

const EMOJI = ['😀', '😊', '🙂', '😉', '😄', '😅', '🙏', '👍', '👌', '👏', '🎉', '❤️',
  '😢', '😮', '🤔', '✅', '❌', '⏳', '📦', '📞', '💬', '🌟', '🌹', '☕'];

export function EmojiPicker({ onChoose }) {
  return html`
    <div class="popover emoji" role="group" aria-label=${t('desk.composer.emoji')}>
      ${EMOJI.map((emoji) => html`
        <button type="button" aria-label=${emoji} onMouseDown=${(e) => { e.preventDefault(); onChoose(emoji); }}>${emoji}</button>`)}
    </div>`;
}
