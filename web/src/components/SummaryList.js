// Key facts as a description list (GOV.UK summary list).
import { html } from 'htm/preact';

/** rows: [[label, value]] (rows whose value is empty, null or false are left out). */
export function SummaryList({ rows }) {
  return html`
    <dl class="summary">
      ${rows
        .filter(([, value]) => value !== undefined && value !== null && value !== '' && value !== false)
        .map(
          ([label, value]) => html`
            <div class="summary__row" key=${label}>
              <dt class="summary__key">${label}</dt>
              <dd class="summary__value">${value}</dd>
            </div>
          `,
        )}
    </dl>
  `;
}
