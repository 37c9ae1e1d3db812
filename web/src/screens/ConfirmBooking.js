// Check and book: the fixed fee is the rate card's; the start code comes back once, here.
import { html } from 'htm/preact';
import { useMemo } from 'preact/hooks';
import * as api from '../api.js';
import { serviceById } from '../catalog.js';
import { Button } from '../components/Button.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { SummaryList } from '../components/SummaryList.js';
import { districtByName } from '../data/districts.js';
import { duration, money } from '../format.js';
import { useForm, useLoad } from '../hooks.js';
import { language, localName, t } from '../i18n.js';
import { navigate } from '../router.js';
import { remember } from '../memo.js';

export function ConfirmBooking({ params, query }) {
  const { data: service } = useLoad(() => serviceById(params.service), [params.service]);
  const key = useMemo(() => api.idempotencyKey(), []);
  const form = useForm({});
  const lat = Number(query.get('lat'));
  const lng = Number(query.get('lng'));
  const name = query.get('name') || '';
  const district = districtByName(query.get('district') || '');
  const landmark = query.get('landmark') || '';
  const where = district ? `${landmark}, ${district[language.get()]}` : t('confirm_booking.device_location');

  const book = form.submit(async () => {
    const created = await api.createBooking({ service_id: params.service, location: { lat, lng }, professional_id: query.get('pro') }, key);
    remember(created.id, { start_code: created.start_code, name, landmark: landmark && where });
    navigate(`/bookings/${created.id}`, { replace: true });
  });

  return html`
    <${Page} title=${t('confirm_booking.title')}>
      <${ErrorSummary} errors=${form.summary} />
      ${service && html`
        <${SummaryList} rows=${[
          [t('booking.service'), localName(service.name)],
          [t('booking.professional'), name],
          [t('booking.fee'), money(service.fee_paise)],
          [t('booking.duration'), duration(service.duration_minutes)],
          [t('booking.where'), where],
        ]} />
        <${Notice} kind="info"><p>${t('confirm_booking.fixed_fee', { fee: money(service.fee_paise) })}</p><//>
      `}
      <form onSubmit=${book}>
        <${Button} busy=${form.busy}>${t('confirm_booking.button')}<//>
      </form>
    <//>
  `;
}
