// The bookings the signed-in account made (citizen) or works (professional): GET /bookings.
import { html } from 'htm/preact';
import * as api from '../api.js';
import { allServices } from '../catalog.js';
import { PagedList } from '../components/PagedList.js';
import { Page } from '../components/Page.js';
import { Tag } from '../components/Tag.js';
import { money, when } from '../format.js';
import { useLoad, usePages } from '../hooks.js';
import { localName, t } from '../i18n.js';
import { Link } from '../router.js';

export function BookingList({ role }) {
  const pages = usePages((cursor) => api.bookings({ role, cursor }), (page) => page.bookings, [role]);
  const { data: services } = useLoad(() => allServices().catch(() => []), []);
  const serviceName = (id) => localName(services?.find((s) => s.id === id)?.name) || t('lists.booking');
  const base = role === 'professional' ? '/pro/bookings' : '/bookings';
  const title = t(role === 'professional' ? 'lists.requests_title' : 'lists.bookings_title');
  return html`
    <${Page} title=${title}>
      <${PagedList} pages=${pages} render=${(b) => html`
        <li class="card" key=${b.id}>
          <p class="card__title"><${Link} to=${`${base}/${b.id}`}>${serviceName(b.service_id)}<//></p>
          <p class="card__meta"><${Tag} kind="booking" value=${b.status} /> <span>${money(b.fee_paise)}</span> <span>${when(b.scheduled_for || b.created_at)}</span></p>
        </li>`} />
    <//>
  `;
}
