import { html } from 'htm/preact';
import { t } from '../i18n.js';

export function Loading() {
  return html`<p class="loading" role="status">${t('common.loading')}</p>`;
}
