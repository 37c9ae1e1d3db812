// What follows an upheld overcharge, on the complaint's page: the suspension and proposed ban, a
// second officer's confirmation (four eyes), the professional's one appeal and the appellate
// officer's decision on it.
import { html } from 'htm/preact';
import * as api from '../api.js';
import { Button } from '../components/Button.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { TextArea } from '../components/Field.js';
import { when } from '../format.js';
import { useForm } from '../hooks.js';
import { t } from '../i18n.js';
import { isAppellate, isOfficer } from '../session.js';
import { DecisionForm, StatementForm } from './forms.js';

/** The ban and appeal as rows of the complaint's summary. */
export function sanctionRows(complaint) {
  const ban = complaint.ban;
  const appeal = complaint.appeal;
  return [
    [t('sanction.ban'), ban && t(`sanction.ban_${ban.status}`)],
    [t('sanction.appeal_by'), ban?.status === 'confirmed' && !appeal && when(ban.appeal_by)],
    [t('sanction.appeal'), appeal && t(`sanction.appeal_${appeal.status}`)],
    [t('sanction.appeal_text'), appeal?.text],
    [t('sanction.appeal_remarks'), appeal?.remarks],
  ];
}

function ConfirmBanForm({ complaintId, onDone }) {
  const form = useForm({ remarks: '' });
  const submit = form.submit(async ({ remarks }) => {
    await api.confirmBan(complaintId, remarks.trim() || undefined);
    await onDone();
  });
  return html`
    <form onSubmit=${submit} novalidate>
      <${ErrorSummary} errors=${form.summary} />
      <p>${t('sanction.confirm_lead')}</p>
      <${TextArea} id="remarks" label=${t('sanction.confirm_remarks')} hint=${t('sanction.optional')} error=${form.errors.remarks}
        value=${form.values.remarks} onInput=${form.set('remarks')} maxlength="2000" />
      <${Button} variant="warning" busy=${form.busy}>${t('sanction.confirm_button')}<//>
    </form>
  `;
}

/** The one action this person may take on the ban now, if any. */
export function SanctionActions({ complaint, me, concerned, onDone }) {
  const ban = complaint.ban;
  if (!ban) return null;
  const appeal = complaint.appeal;
  if (ban.status === 'proposed' && isOfficer(me)) {
    return html`<h2 class="heading-m">${t('sanction.confirm_title')}</h2><${ConfirmBanForm} complaintId=${complaint.id} onDone=${onDone} />`;
  }
  if (ban.status === 'confirmed' && concerned && !appeal) {
    return html`<h2 class="heading-m">${t('sanction.appeal_title')}</h2><${StatementForm} words="sanction.appeal" send=${(text) => api.fileAppeal(complaint.id, text)} onDone=${onDone} />`;
  }
  if (appeal?.status === 'pending' && isAppellate(me)) {
    return html`<h2 class="heading-m">${t('sanction.decide_title')}</h2><${DecisionForm} outcomes=${['upheld', 'overturned']} labels="sanction.decide" send=${(decision) => api.decideAppeal(complaint.id, decision)} onDone=${onDone} />`;
  }
  return null;
}
