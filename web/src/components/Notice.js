// A highlighted message: "success" (a panel after a completed action), "info", "warning".
import { html } from 'htm/preact';

export function Notice({ kind = 'info', title, children, role }) {
  return html`
    <div class=${`notice notice--${kind}`} role=${role}>
      ${title && html`<p class="notice__title">${title}</p>`}
      ${children}
    </div>
  `;
}
