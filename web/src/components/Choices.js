// Radios and checkboxes: a fieldset whose legend is the question (GOV.UK radios, checkboxes).
import { html } from 'htm/preact';
import { FieldError } from './Field.js';

/**
 * type: "radio" (value: the chosen one) or "checkbox" (value: the chosen ones, an array).
 * The first input carries `id`, so the error summary can focus the group.
 */
export function Choices({ id, legend, hint, error, type = 'radio', options, value, onChange, small, headingLegend }) {
  const chosen = (v) => (type === 'radio' ? value === v : (value || []).includes(v));
  const change = (v) => (event) => {
    if (type === 'radio') onChange(v);
    else onChange(event.currentTarget.checked ? [...(value || []), v] : (value || []).filter((x) => x !== v));
  };
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return html`
    <div class=${`field${error ? ' field--error' : ''}`}>
      <fieldset class="fieldset" aria-describedby=${describedBy}>
        <legend class=${`legend${headingLegend ? ' legend--heading' : ''}`}>${legend}</legend>
        ${hint && html`<div class="hint" id=${`${id}-hint`}>${hint}</div>`}
        <${FieldError} id=${id} error=${error} />
        <div class=${`choices${small ? ' choices--small' : ''}`}>
          ${options.map(
            (o, i) => html`
              <div class="choice" key=${o.value}>
                <input
                  class="choice__input"
                  id=${i === 0 ? id : `${id}-${o.value}`}
                  name=${id}
                  type=${type}
                  value=${o.value}
                  checked=${chosen(o.value)}
                  onChange=${change(o.value)}
                />
                <label class="choice__label" for=${i === 0 ? id : `${id}-${o.value}`}>
                  ${o.label}${o.hint && html`<span class="choice__hint">${o.hint}</span>`}
                </label>
              </div>
            `,
          )}
        </div>
      </fieldset>
    </div>
  `;
}
