// Horizontal bars, one a row, with the figure beside each: the reports' chart (HTML/CSS,
// DESIGN.md decision 11), longest bar the largest value.
import { html } from 'htm/preact';
import { formatNumber } from 'kefu/i18n.mjs';

export function Bars({ rows, label, title }) {
  const top = Math.max(1, ...rows.map((r) => r.value));
  return html`
    <figure class="bars" aria-label=${title}>
      ${rows.map((r) => html`
        <div class="bar-row"><span class="bar-label">${label(r.key)}</span>
          <span class="bar" style=${`width: ${(100 * r.value) / top}%`}></span>
          <span class="number">${formatNumber(r.value)}</span></div>`)}
    </figure>`;
}
