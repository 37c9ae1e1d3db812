// A list route's answer as cards: loading, the API's error in the user's language, "nothing yet",
// and a button for the next page when there is one.
import { html } from 'htm/preact';
import { errorText } from '../api.js';
import { t } from '../i18n.js';
import { Loading } from './Loading.js';
import { Notice } from './Notice.js';

/** pages: what usePages answers; render(item): one <li>. */
export function PagedList({ pages, render, empty }) {
  const { items, error, loading, more } = pages;
  return html`
    ${error && html`<${Notice} kind="warning" role="alert">${errorText(error)}<//>`}
    ${!items && !error && html`<${Loading} />`}
    ${items && items.length === 0 && html`<p>${empty || t('lists.none')}</p>`}
    ${items && items.length > 0 && html`<ul class="cards">${items.map(render)}</ul>`}
    ${more && html`<button class="button button--secondary" type="button" disabled=${loading} onClick=${more}>${t('lists.more')}</button>`}
  `;
}
