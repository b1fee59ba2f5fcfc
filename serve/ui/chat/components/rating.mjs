// The end of a conversation: a 1-5 rating with an optional comment, then a new chat.
import { html } from 'htm/preact';
import { t } from 'kefu/i18n.mjs';

import { rating, updateRating } from '../store/conversation.mjs';
import { rate, startOver } from '../store/session.mjs';

const SCORES = [1, 2, 3, 4, 5];

export function RatingForm() {
  const current = rating.value;
  const again = html`<button type="button" class="secondary" onClick=${startOver}>${t('chat.new_chat')}</button>`;
  if (current.status === 'sent') {
    return html`<section class="panel-note" role="status"><p>${t('chat.rating_thanks')}</p>${again}</section>`;
  }
  const onSubmit = (event) => {
    event.preventDefault();
    if (current.score) rate(current.score, current.comment.trim());
  };
  return html`<form class="rating" onSubmit=${onSubmit}>
    <p class="ended">${t('chat.ended')}</p>
    <fieldset>
      <legend>${t('chat.rating_question')}</legend>
      <div class="stars">
        ${SCORES.map((score) => html`<label class=${score <= current.score ? 'star on' : 'star'}>
          <input type="radio" name="score" value=${score} checked=${current.score === score}
                 onChange=${() => updateRating({ score })} />
          <span aria-hidden="true">★</span><span class="visually-hidden">${t('chat.rating_score', { score })}</span>
        </label>`)}
      </div>
    </fieldset>
    <label for="rating-comment">${t('chat.rating_comment')}</label>
    <textarea id="rating-comment" rows="2" maxlength="500" value=${current.comment}
              onInput=${(event) => updateRating({ comment: event.currentTarget.value })}></textarea>
    ${current.status === 'failed' ? html`<p class="error" role="alert">${t('chat.rating_failed')}</p>` : null}
    <div class="row">
      <button type="submit" class="primary" disabled=${!current.score || current.status === 'sending'}>
        ${t('chat.rating_send')}</button>
      ${again}
    </div>
  </form>`;
}
