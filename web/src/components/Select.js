import { html } from 'htm/preact';
import { describedBy, FieldError } from './Field.js';

/** options: [{value, label}]; the first, empty option asks to choose. */
export function Select({ id, label, hint, error, value, onChange, options, placeholder }) {
  return html`
    <div class=${`field${error ? ' field--error' : ''}`}>
      <label class="label" for=${id}>${label}</label>
      ${hint && html`<div class="hint" id=${`${id}-hint`}>${hint}</div>`}
      <${FieldError} id=${id} error=${error} />
      <select
        class=${`select${error ? ' input--error' : ''}`}
        id=${id}
        name=${id}
        value=${value}
        onChange=${onChange}
        aria-describedby=${describedBy(id, hint, error)}
        aria-invalid=${error ? 'true' : undefined}
      >
        ${placeholder !== undefined && html`<option value="">${placeholder}</option>`}
        ${options.map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}
      </select>
    </div>
  `;
}
