// Materials bought for the job (outside the fixed fee, never a hidden charge): the professional
// claims them while the work is in progress, the citizen approves or disputes each claim. A
// dispute opens an overcharge complaint, linked from the claim.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import * as api from '../api.js';
import { Button } from '../components/Button.js';
import { Downloads } from '../components/Downloads.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Field } from '../components/Field.js';
import { money, paiseOf } from '../format.js';
import { useForm } from '../hooks.js';
import { t } from '../i18n.js';
import { Link } from '../router.js';

/** What the professional may take in all: the fixed fee plus the approved expenses. */
export function allowedPaise(booking) {
  const approved = (booking.expenses || []).filter((e) => e.status === 'approved');
  return booking.fee_paise + approved.reduce((sum, e) => sum + e.total_paise, 0);
}

function Decide({ booking, expense, n, onDone }) {
  const form = useForm({});
  const approve = form.submit(async () => {
    await api.approveExpense(booking.id, expense.id);
    await onDone();
  });
  const dispute = form.submit(async () => {
    await api.disputeExpense(booking.id, expense.id);
    await onDone();
  });
  return html`
    <${ErrorSummary} errors=${form.summary} />
    <div class="button-group">
      <form onSubmit=${approve}><${Button} busy=${form.busy} aria-label=${t('expenses.approve_n', { n })}>${t('expenses.approve')}<//></form>
      <form onSubmit=${dispute}><${Button} variant="warning" busy=${form.busy} aria-label=${t('expenses.dispute_n', { n })}>${t('expenses.dispute')}<//></form>
    </div>
  `;
}

/** The booking's expense claims; the citizen (`decide`) approves or disputes the waiting ones. */
export function ExpenseList({ booking, decide = false, onDone }) {
  const claims = booking.expenses || [];
  if (claims.length === 0) return null;
  return html`
    <h2 class="heading-m">${t('expenses.title')}</h2>
    ${decide && claims.some((e) => e.status === 'pending_approval') && html`<p>${t('expenses.lead')}</p>`}
    <ul class="cards">
      ${claims.map((expense, i) => html`
        <li key=${expense.id} class="card">
          <p class="card__title">${t('expenses.claim_n', { n: i + 1 })}: ${money(expense.total_paise)}</p>
          <ul>${expense.items.map((item, j) => html`<li key=${j}>${item.description}: ${money(item.amount_paise)}</li>`)}</ul>
          <p>${t('expenses.status')}: ${t(`expenses.status_${expense.status}`)}</p>
          ${expense.receipts?.length > 0 && html`<p>${t('expenses.receipts')}:</p><${Downloads} files=${expense.receipts.map((receipt, j) => ({ ...receipt, name: t('expenses.receipt_n', { n: j + 1, claim: i + 1 }) }))} />`}
          ${expense.complaint_id && html`<p><${Link} to=${`/complaints/${expense.complaint_id}`}>${t('expenses.see_complaint')}<//></p>`}
          ${decide && expense.status === 'pending_approval' && html`<${Decide} booking=${booking} expense=${expense} n=${i + 1} onDone=${onDone} />`}
        </li>`)}
    </ul>
  `;
}

/** The professional's claim: one item at a time (what was bought, for how much). */
export function ExpenseForm({ booking, onDone }) {
  const form = useForm({ description: '', amount: '' });
  const [sent, setSent] = useState(false);
  const submit = form.submit(async ({ description, amount }) => {
    const problems = {};
    if (!description.trim()) problems.description = 'expenses.description_missing';
    const paise = paiseOf(amount);
    if (paise === null || paise <= 0) problems.amount_paise = 'expenses.amount_missing';
    if (Object.keys(problems).length) return form.fail(problems);
    await api.addExpenses(booking.id, [{ description: description.trim(), amount_paise: paise }]);
    form.setValue('description', '');
    form.setValue('amount', '');
    setSent(true);
    await onDone();
  });
  return html`
    <h2 class="heading-m">${t('expenses.claim_title')}</h2>
    <p>${t('expenses.claim_lead')}</p>
    ${sent && html`<p role="status">${t('expenses.sent')}</p>`}
    <form onSubmit=${submit} novalidate class="subform">
      <${ErrorSummary} errors=${form.summary} />
      <${Field} id="description" label=${t('expenses.description_label')} hint=${t('expenses.description_hint')} error=${form.errors.description}
        value=${form.values.description} onInput=${form.set('description')} maxlength="200" />
      <${Field} id="amount_paise" label=${t('expenses.amount_label')} hint=${t('expenses.amount_hint')} error=${form.errors.amount_paise}
        inputmode="decimal" width="10" prefix="₹" value=${form.values.amount} onInput=${form.set('amount')} />
      <${Button} variant="secondary" busy=${form.busy}>${t('expenses.claim_button')}<//>
    </form>
  `;
}
