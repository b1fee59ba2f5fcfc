// The staff pages' passing notice (saved, failed, ...): an alert for errors, else a
// status, so a screen reader says it once without taking the focus.
import { html } from 'htm/preact';

export function Toast({ notice }) {
  if (!notice) return null;
  return html`<div class=${`toast ${notice.kind}`} role=${notice.kind === 'error' ? 'alert' : 'status'}>
    ${notice.text}</div>`;
}
