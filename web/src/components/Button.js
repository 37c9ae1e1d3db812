import { html } from 'htm/preact';

/** variant: "primary" (default), "secondary", "warning"; busy: disabled while the request runs. */
export function Button({ children, variant = 'primary', busy, type = 'submit', ...rest }) {
  return html`
    <button class=${`button button--${variant}`} type=${type} disabled=${busy} aria-disabled=${busy ? 'true' : undefined} ...${rest}>
      ${children}
    </button>
  `;
}
