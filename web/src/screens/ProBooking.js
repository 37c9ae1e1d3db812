// A booking as its professional works it: accept (or decline), the citizen's start code when
// the work begins, then what was collected. More than the fixed fee opens a complaint.
import { html } from 'htm/preact';
import { useCallback } from 'preact/hooks';
import * as api from '../api.js';
import { serviceById } from '../catalog.js';
import { Button } from '../components/Button.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Field } from '../components/Field.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { SummaryList } from '../components/SummaryList.js';
import { Tag } from '../components/Tag.js';
import { config } from '../config.js';
import { digitsOf, money, paiseOf, when } from '../format.js';
import { useForm, useLoad, usePolling } from '../hooks.js';
import { localName, t } from '../i18n.js';
import { Link } from '../router.js';
import { ACTIVE } from './Booking.js';
import { allowedPaise, ExpenseForm, ExpenseList } from './expenses.js';

function Accept({ id, onDone }) {
  const form = useForm({});
  const accept = form.submit(async () => {
    await api.acceptBooking(id);
    await onDone();
  });
  const decline = form.submit(async () => {
    await api.declineBooking(id);
    await onDone();
  });
  return html`
    <${ErrorSummary} errors=${form.summary} />
    <div class="button-group">
      <form onSubmit=${accept}><${Button} busy=${form.busy}>${t('pro_booking.accept')}<//></form>
      <form onSubmit=${decline}><${Button} variant="secondary" busy=${form.busy}>${t('pro_booking.decline')}<//></form>
    </div>
  `;
}

function Start({ booking, onDone }) {
  const form = useForm({ start_code: '' });
  const submit = form.submit(async ({ start_code: code }) => {
    const digits = digitsOf(code);
    if (!/^\d{6}$/.test(digits)) return form.fail({ start_code: 'errors.field.start_code' });
    await api.startBooking(booking.id, digits);
    await onDone();
  });
  return html`
    <${ErrorSummary} errors=${form.summary} />
    <form onSubmit=${submit} novalidate>
      <${Field} id="start_code" label=${t('pro_booking.code_label')} hint=${t('pro_booking.code_hint')} error=${form.errors.start_code}
        inputmode="numeric" autocomplete="off" width="6" value=${form.values.start_code} onInput=${form.set('start_code')} />
      ${booking.start_attempts_left != null && html`<p class="hint">${t('pro_booking.attempts_left', { n: booking.start_attempts_left })}</p>`}
      <${Button} busy=${form.busy}>${t('pro_booking.start')}<//>
    </form>
  `;
}

function Complete({ booking, onDone }) {
  const form = useForm({ amount: '' });
  const submit = form.submit(async ({ amount }) => {
    const paise = paiseOf(amount);
    if (paise === null) return form.fail({ amount_collected_paise: 'errors.field.amount_collected_paise' });
    await api.completeBooking(booking.id, paise);
    await onDone();
  });
  return html`
    <${ErrorSummary} errors=${form.summary} />
    <${Notice} kind="warning"><p>${t('pro_booking.fee_warning', { fee: money(booking.fee_paise) })}</p>
      ${allowedPaise(booking) > booking.fee_paise && html`<p>${t('pro_booking.allowed_with_expenses', { total: money(allowedPaise(booking)) })}</p>`}<//>
    <form onSubmit=${submit} novalidate>
      <${Field} id="amount_collected_paise" label=${t('pro_booking.amount_label')} hint=${t('pro_booking.amount_hint', { fee: money(booking.fee_paise) })}
        error=${form.errors.amount_collected_paise} inputmode="decimal" width="10" prefix="₹" value=${form.values.amount} onInput=${form.set('amount')} />
      <${Button} busy=${form.busy}>${t('pro_booking.complete')}<//>
    </form>
  `;
}

export function ProBooking({ params }) {
  const { data: booking, error, reload } = useLoad(() => api.booking(params.id), [params.id]);
  const { data: service } = useLoad(() => (booking ? serviceById(booking.service_id) : null), [booking?.service_id]);
  const tick = useCallback(() => reload(), [reload]);
  usePolling(tick, config().pollSeconds, booking && ACTIVE.has(booking.status));
  if (!booking) return html`<${Page} title=${t('pro_booking.title')}>${error ? html`<${Notice} kind="warning" role="alert">${api.errorText(error)}<//>` : html`<${Loading} />`}<//>`;
  return html`
    <${Page} title=${t('pro_booking.title')}>
      <p class="status-line" aria-live="polite">${t('booking.status')}: <${Tag} kind="booking" value=${booking.status} /></p>
      <p>${t(`pro_booking.explain_${booking.status}`, { time: when(booking.expires_at) })}</p>
      <${SummaryList} rows=${[
        [t('booking.service'), service ? localName(service.name) : ''],
        [t('booking.fee'), money(booking.fee_paise)],
        [t('pro_booking.citizen_mobile'), booking.citizen?.mobile && html`<a href=${`tel:+91${booking.citizen.mobile}`}>${booking.citizen.mobile}</a>`],
        [t('booking.where'), booking.address],
        [t('booking.booked_at'), when(booking.created_at)],
        [t('booking.amount_collected'), booking.amount_collected_paise != null && money(booking.amount_collected_paise)],
      ]} />
      ${booking.status === 'requested' && html`<${Accept} id=${booking.id} onDone=${reload} />`}
      ${booking.status === 'accepted' && html`<h2 class="heading-m">${t('pro_booking.start_title')}</h2><${Start} booking=${booking} onDone=${reload} />`}
      <${ExpenseList} booking=${booking} onDone=${reload} />
      ${booking.status === 'in_progress' && html`<${ExpenseForm} booking=${booking} onDone=${reload} />`}
      ${booking.status === 'in_progress' && html`<h2 class="heading-m">${t('pro_booking.complete_title')}</h2><${Complete} booking=${booking} onDone=${reload} />`}
      ${booking.complaint_ids?.length > 0 && html`
        <h2 class="heading-m">${t('booking.complaints_title')}</h2>
        <ul class="list">${booking.complaint_ids.map((id, i) => html`<li key=${id}><${Link} to=${`/complaints/${id}`}>${t('booking.complaint_n', { n: i + 1 })}<//></li>`)}</ul>`}
    <//>
  `;
}
