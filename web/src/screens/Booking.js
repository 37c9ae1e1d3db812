// The citizen's booking, followed live: status, the start code, the professional once they
// accept, and afterwards: rate, say what was paid, complain.
import { html } from 'htm/preact';
import { useCallback } from 'preact/hooks';
import * as api from '../api.js';
import { serviceById } from '../catalog.js';
import { Button } from '../components/Button.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { SummaryList } from '../components/SummaryList.js';
import { Tag } from '../components/Tag.js';
import { config } from '../config.js';
import { money, rating, when } from '../format.js';
import { useForm, useLoad, usePolling } from '../hooks.js';
import { localName, t } from '../i18n.js';
import { recall } from '../memo.js';
import { Link } from '../router.js';
import { allowedPaise, ExpenseList } from './expenses.js';
import { PaymentForm } from './PaymentForm.js';

export const ACTIVE = new Set(['requested', 'accepted', 'in_progress']);

export function StartCode({ code }) {
  if (!code) return null;
  return html`
    <div class="panel" role="region" aria-labelledby="start-code-title">
      <h2 class="panel__title" id="start-code-title">${t('booking.start_code_title')}</h2>
      <p class="panel__code">${code.slice(0, 3)} ${code.slice(3)}</p>
      <p>${t('booking.start_code_text')}</p>
    </div>
  `;
}

export function Booking({ params, query }) {
  const { data: booking, error, reload } = useLoad(() => api.booking(params.id), [params.id]);
  const { data: service } = useLoad(() => (booking ? serviceById(booking.service_id) : null), [booking?.service_id]);
  const tick = useCallback(() => reload(), [reload]);
  usePolling(tick, config().pollSeconds, booking && ACTIVE.has(booking.status));
  const form = useForm({});
  const cancel = form.submit(async () => {
    await api.cancelBooking(params.id);
    await reload();
  });

  if (!booking) return html`<${Page} title=${t('booking.title')}>${error ? html`<${Notice} kind="warning" role="alert">${api.errorText(error)}<//>` : html`<${Loading} />`}<//>`;
  const memo = recall(params.id);
  const code = booking.start_code || memo.start_code;
  const pro = booking.professional;
  const showCode = booking.status === 'requested' || booking.status === 'accepted';
  return html`
    <${Page} title=${t('booking.title')}>
      <${ErrorSummary} errors=${form.summary} />
      ${query.get('done') && html`<${Notice} kind="success" role="status" title=${t(`booking.done_${query.get('done')}`)} />`}
      <p class="status-line" aria-live="polite">${t('booking.status')}: <${Tag} kind="booking" value=${booking.status} /></p>
      <p>${t(`booking.explain_${booking.status}`, { time: when(booking.expires_at) })}</p>
      ${showCode && html`<${StartCode} code=${code} />`}
      <${SummaryList} rows=${[
        [t('booking.service'), service ? localName(service.name) : ''],
        [t('booking.professional'), pro ? pro.name : memo.name],
        [t('booking.professional_mobile'), pro?.mobile && html`<a href=${`tel:+91${pro.mobile}`}>${pro.mobile}</a>`],
        [t('booking.fee'), money(booking.fee_paise)],
        [t('booking.where'), booking.address || memo.landmark],
        [t('booking.booked_at'), when(booking.created_at)],
        [t('booking.accepted_at'), when(booking.accepted_at)],
        [t('booking.started_at'), when(booking.started_at)],
        [t('booking.completed_at'), when(booking.completed_at)],
        [t('booking.amount_collected'), booking.amount_collected_paise != null && money(booking.amount_collected_paise)],
        [t('booking.amount_paid'), booking.payment && money(booking.payment.amount_paid_paise)],
        [t('booking.your_rating'), booking.rating && t('pros.rating', { stars: rating(booking.rating.stars) })],
      ]} />
      <${ExpenseList} booking=${booking} decide=${true} onDone=${reload} />
      ${(booking.status === 'requested' || booking.status === 'accepted') && html`
        <form onSubmit=${cancel}><${Button} variant="warning" busy=${form.busy}>${t('booking.cancel')}<//></form>`}
      ${booking.status === 'completed' && html`
        <h2 class="heading-m">${t('booking.after_title')}</h2>
        <ul class="list">
          ${!booking.rating && html`<li><${Link} to=${`/bookings/${params.id}/rate`}>${t('booking.rate')}<//></li>`}
          <li><${Link} to=${`/bookings/${params.id}/complain`}>${t('booking.complain')}<//></li>
        </ul>
        <${PaymentForm} bookingId=${params.id} feePaise=${booking.fee_paise} allowedPaise=${allowedPaise(booking)} paid=${Boolean(booking.payment)} onDone=${reload} />`}
      ${booking.complaint_ids?.length > 0 && html`
        <h2 class="heading-m">${t('booking.complaints_title')}</h2>
        <ul class="list">
          ${booking.complaint_ids.map((id, i) => html`<li key=${id}><${Link} to=${`/complaints/${id}`}>${t('booking.complaint_n', { n: i + 1 })}<//></li>`)}
        </ul>`}
    <//>
  `;
}
