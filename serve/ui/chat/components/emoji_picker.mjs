// A small emoji picker: a grid of buttons, Escape closes it.
import { html } from 'htm/preact';
import { t } from 'kefu/i18n.mjs';

const EMOJI = ['😀', '😊', '😂', '🙂', '😉', '😍', '🤔', '😅', '😢', '😮', '😡', '👍', '👎', '👏', '🙏',
               '💪', '👌', '🎉', '❤️', '🌹', '☕', '🍵', '✅', '❌', '❓', '⭐', '🔥', '💯', '📦', '🚚'];

export function EmojiPicker({ onPick, onClose }) {
  const onKeyDown = (event) => {
    if (event.key === 'Escape') { event.stopPropagation(); onClose(); }
  };
  return html`<div class="emoji-picker" role="group" aria-label=${t('chat.emoji')} onKeyDown=${onKeyDown}>
    ${EMOJI.map((emoji) => html`<button type="button" class="emoji" onClick=${() => onPick(emoji)}
                                        aria-label=${emoji}>${emoji}</button>`)}
  </div>`;
}
