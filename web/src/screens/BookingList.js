// The bookings the signed-in account made (citizen) or works (professional): GET /bookings.
import { html } from 'htm/preact';
import * as api from '../api.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { Tag } from '../components/Tag.js';
import { money, when } from '../format.js';
import { useLoad } from '../hooks.js';
import { t } from '../i18n.js';
import { Link } from '../router.js';

export function BookingList({ role }) {
  const { data, error } = useLoad(() => api.bookings({ role }), [role]);
  const base = role === 'professional' ? '/pro/bookings' : '/bookings';
  const title = t(role === 'professional' ? 'lists.requests_title' : 'lists.bookings_title');
  return html`
    <${Page} title=${title}>
      ${error && html`<${Notice} kind="warning" role="alert">${api.errorText(error)}<//>`}
      ${!data && !error && html`<${Loading} />`}
      ${data && data.bookings.length === 0 && html`<p>${t('lists.none')}</p>`}
      ${data && data.bookings.length > 0 && html`
        <ul class="cards">
          ${data.bookings.map((b) => html`
            <li class="card" key=${b.id}>
              <p class="card__title"><${Link} to=${`${base}/${b.id}`}>${t('lists.booking_of', { time: when(b.created_at) })}<//></p>
              <p class="card__meta"><${Tag} kind="booking" value=${b.status} /> <span>${money(b.fee_paise)}</span></p>
            </li>`)}
        </ul>`}
    <//>
  `;
}
