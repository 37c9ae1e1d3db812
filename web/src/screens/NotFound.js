import { html } from 'htm/preact';
import { Page } from '../components/Page.js';
import { t } from '../i18n.js';
import { Link } from '../router.js';

export function NotFound() {
  return html`
    <${Page} title=${t('not_found.title')}>
      <p>${t('not_found.text')}</p>
      <p><${Link} to="/">${t('not_found.home')}<//></p>
    <//>
  `;
}
