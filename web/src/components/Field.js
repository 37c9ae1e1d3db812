// A labelled input with its hint and its error message beside it (GOV.UK text input).
import { html } from 'htm/preact';
import { t } from '../i18n.js';

export function describedBy(id, hint, error) {
  return [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
}

export function FieldError({ id, error }) {
  if (!error) return null;
  return html`<p class="error-message" id=${`${id}-error`}><span class="visually-hidden">${t('errors.prefix')} </span>${error}</p>`;
}

/** prefix: a symbol shown before the box (₹), not read out separately. */
export function Field({ id, label, hint, error, value, onInput, type = 'text', width, prefix, ...rest }) {
  const input = html`
    <input
      class=${`input${width ? ` input--${width}` : ''}${error ? ' input--error' : ''}`}
      id=${id}
      name=${id}
      type=${type}
      value=${value}
      onInput=${onInput}
      aria-describedby=${describedBy(id, hint, error)}
      aria-invalid=${error ? 'true' : undefined}
      ...${rest}
    />`;
  return html`
    <div class=${`field${error ? ' field--error' : ''}`}>
      <label class="label" for=${id}>${label}</label>
      ${hint && html`<div class="hint" id=${`${id}-hint`}>${hint}</div>`}
      <${FieldError} id=${id} error=${error} />
      ${prefix ? html`<div class="input-wrapper"><span class="input-prefix" aria-hidden="true">${prefix}</span>${input}</div>` : input}
    </div>
  `;
}

export function TextArea({ id, label, hint, error, value, onInput, rows = 4, ...rest }) {
  return html`
    <div class=${`field${error ? ' field--error' : ''}`}>
      <label class="label" for=${id}>${label}</label>
      ${hint && html`<div class="hint" id=${`${id}-hint`}>${hint}</div>`}
      <${FieldError} id=${id} error=${error} />
      <textarea
        class=${`textarea${error ? ' input--error' : ''}`}
        id=${id}
        name=${id}
        rows=${rows}
        value=${value}
        onInput=${onInput}
        aria-describedby=${describedBy(id, hint, error)}
        aria-invalid=${error ? 'true' : undefined}
        ...${rest}
      ></textarea>
    </div>
  `;
}

/** A file from the phone's camera or its files (accept decides what the picker offers). */
export function FileField({ id, label, hint, error, accept, onChange, ...rest }) {
  return html`
    <div class=${`field${error ? ' field--error' : ''}`}>
      <label class="label" for=${id}>${label}</label>
      ${hint && html`<div class="hint" id=${`${id}-hint`}>${hint}</div>`}
      <${FieldError} id=${id} error=${error} />
      <input
        class=${`file-upload${error ? ' input--error' : ''}`}
        id=${id}
        name=${id}
        type="file"
        accept=${accept}
        onChange=${onChange}
        aria-describedby=${describedBy(id, hint, error)}
        aria-invalid=${error ? 'true' : undefined}
        ...${rest}
      />
    </div>
  `;
}
