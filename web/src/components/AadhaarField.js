// The Aadhaar number, masked as it is typed: only the last four digits stay visible
// ("•••• •••• 1234", as UIDAI prints a masked Aadhaar). The digits live in the form's state only.
import { html } from 'htm/preact';
import { aadhaarAfterEdit, maskedAadhaar } from '../digits.js';
import { describedBy, FieldError } from './Field.js';

export function AadhaarField({ id, label, hint, error, value, onChange }) {
  const onInput = (event) => {
    const digits = aadhaarAfterEdit(value, event.currentTarget.value);
    event.currentTarget.value = maskedAadhaar(digits);
    onChange(digits);
  };
  return html`
    <div class=${`field${error ? ' field--error' : ''}`}>
      <label class="label" for=${id}>${label}</label>
      ${hint && html`<div class="hint" id=${`${id}-hint`}>${hint}</div>`}
      <${FieldError} id=${id} error=${error} />
      <input
        class=${`input input--aadhaar${error ? ' input--error' : ''}`}
        id=${id}
        name=${id}
        type="text"
        inputmode="numeric"
        autocomplete="off"
        spellcheck="false"
        value=${maskedAadhaar(value)}
        onInput=${onInput}
        aria-describedby=${describedBy(id, hint, error)}
        aria-invalid=${error ? 'true' : undefined}
      />
    </div>
  `;
}
