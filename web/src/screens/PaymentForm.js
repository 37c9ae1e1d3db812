// After the work: the citizen says what they paid (POST /bookings/{id}/payment). More than the
// fee (plus the approved expenses) opens an overcharge complaint by itself. Said once: afterwards the booking shows it.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import * as api from '../api.js';
import { Button } from '../components/Button.js';
import { Field } from '../components/Field.js';
import { Notice } from '../components/Notice.js';
import { money, paiseOf } from '../format.js';
import { useForm } from '../hooks.js';
import { t } from '../i18n.js';
import { Link } from '../router.js';

export function PaymentForm({ bookingId, feePaise, allowedPaise, paid, onDone }) {
  const form = useForm({ amount: '' });
  const [answer, setAnswer] = useState(null);
  const submit = form.submit(async ({ amount }) => {
    const paise = paiseOf(amount);
    if (paise === null) return form.fail({ amount: 'errors.field.amount_paid_paise' });
    setAnswer(await api.reportPayment(bookingId, paise));
    if (onDone) await onDone();
  });
  if (answer) {
    return html`<${Notice} kind="success" role="status" title=${t('payment.thanks')}>
      ${answer.complaint_id && html`<p>${t('payment.complaint_opened')} <${Link} to=${`/complaints/${answer.complaint_id}`}>${t('payment.see_complaint')}<//></p>`}
    <//>`;
  }
  if (paid) return null;
  return html`
    <form onSubmit=${submit} novalidate class="subform">
      ${form.summary.length > 0 && !form.errors.amount && html`<${Notice} kind="warning" role="alert">${form.summary[0].message}<//>`}
      <${Field} id="amount" label=${t('payment.label')} hint=${allowedPaise > feePaise ? t('payment.hint_expenses', { fee: money(feePaise), total: money(allowedPaise) }) : t('payment.hint', { fee: money(feePaise) })} error=${form.errors.amount}
        inputmode="decimal" width="10" prefix="₹" value=${form.values.amount} onInput=${form.set('amount')} />
      <${Button} variant="secondary" busy=${form.busy}>${t('payment.button')}<//>
    </form>
  `;
}
