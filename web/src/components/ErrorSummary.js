// GOV.UK's error summary: at the top of the page, focused when it appears, one link per problem
// that moves focus to the field it concerns.
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n.js';

/** errors: [{field, message}]; field: the id of the input to focus (or null: no link). */
export function ErrorSummary({ errors }) {
  const box = useRef(null);
  const shown = errors && errors.length > 0;
  const signature = shown ? errors.map((e) => `${e.field}:${e.message}`).join('|') : '';
  useEffect(() => {
    if (shown && box.current) box.current.focus();
  }, [signature]);
  if (!shown) return null;
  const focusField = (field) => (event) => {
    event.preventDefault();
    const target = document.getElementById(field);
    if (target) {
      target.scrollIntoView({ block: 'center' });
      target.focus();
    }
  };
  return html`
    <div class="error-summary" ref=${box} tabindex="-1" role="alert" aria-labelledby="error-summary-title">
      <h2 class="error-summary__title" id="error-summary-title">${t('errors.summary_title')}</h2>
      <ul class="error-summary__list">
        ${errors.map(
          (e) => html`<li key=${e.field || e.message}>
            ${e.field ? html`<a href=${`#${e.field}`} onClick=${focusField(e.field)}>${e.message}</a>` : e.message}
          </li>`,
        )}
      </ul>
    </div>
  `;
}
