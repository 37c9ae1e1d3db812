// The services a professional offers: first the kinds of work, then (revealed under each kind
// chosen) that kind's services, as GOV.UK's conditionally revealed checkboxes.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { CATEGORIES } from '../catalog.js';
import { money } from '../format.js';
import { localName, t } from '../i18n.js';
import { FieldError } from './Field.js';

export function ServicePicker({ id, legend, hint, error, services, value, onChange }) {
  const [open, setOpen] = useState(() => new Set(services.filter((s) => value.includes(s.id)).map((s) => s.category)));
  const toggleCategory = (category) => (event) => {
    const next = new Set(open);
    if (event.currentTarget.checked) next.add(category);
    else {
      next.delete(category);
      onChange(value.filter((v) => !services.some((s) => s.id === v && s.category === category)));
    }
    setOpen(next);
  };
  const toggle = (serviceId) => (event) =>
    onChange(event.currentTarget.checked ? [...value, serviceId] : value.filter((v) => v !== serviceId));
  const categories = CATEGORIES.filter((c) => services.some((s) => s.category === c));
  return html`
    <div class=${`field${error ? ' field--error' : ''}`}>
      <fieldset class="fieldset" aria-describedby=${[hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined}>
        <legend class="legend">${legend}</legend>
        ${hint && html`<div class="hint" id=${`${id}-hint`}>${hint}</div>`}
        <${FieldError} id=${id} error=${error} />
        <div class="choices choices--small">
          ${categories.map((category, i) => html`
            <div key=${category}>
              <div class="choice">
                <input class="choice__input" id=${i === 0 ? id : `${id}-${category}`} type="checkbox" checked=${open.has(category)}
                  onChange=${toggleCategory(category)} />
                <label class="choice__label" for=${i === 0 ? id : `${id}-${category}`}>${t(`category.${category}`)}</label>
              </div>
              ${open.has(category) && html`
                <div class="reveal">
                  ${services.filter((s) => s.category === category).map((service) => html`
                    <div class="choice" key=${service.id}>
                      <input class="choice__input" id=${`${id}-${service.id}`} name=${id} type="checkbox" value=${service.id}
                        checked=${value.includes(service.id)} onChange=${toggle(service.id)} />
                      <label class="choice__label" for=${`${id}-${service.id}`}>
                        ${localName(service.name)}
                        <span class="choice__hint">${t('services.fee_only', { fee: money(service.fee_paise) })}${service.requires_qualification ? ` · ${t('pro_register.needs_qualification')}` : ''}</span>
                      </label>
                    </div>
                  `)}
                </div>`}
            </div>
          `)}
        </div>
      </fieldset>
    </div>
  `;
}
