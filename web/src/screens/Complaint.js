// One complaint as each side sees it: the citizen follows it, the professional answers it, an
// officer decides it (after reading both sides and the evidence).
import { html } from 'htm/preact';
import * as api from '../api.js';
import { Button } from '../components/Button.js';
import { Choices } from '../components/Choices.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { TextArea } from '../components/Field.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { SummaryList } from '../components/SummaryList.js';
import { Tag } from '../components/Tag.js';
import { money, when } from '../format.js';
import { useForm, useLoad } from '../hooks.js';
import { t } from '../i18n.js';
import { Link } from '../router.js';
import { isOfficer, session } from '../session.js';
import { useStore } from '../store.js';
import { SanctionActions, sanctionRows } from './sanctions.js';

function ResponseForm({ complaintId, onDone }) {
  const form = useForm({ text: '' });
  const submit = form.submit(async ({ text }) => {
    if (!text.trim()) return form.fail({ text: 'complaint.response_missing' });
    await api.respondToComplaint(complaintId, text.trim());
    await onDone();
  });
  return html`
    <form onSubmit=${submit} novalidate>
      <${ErrorSummary} errors=${form.summary} />
      <${TextArea} id="text" label=${t('complaint.response_label')} hint=${t('complaint.response_hint')} error=${form.errors.text}
        value=${form.values.text} onInput=${form.set('text')} maxlength="2000" />
      <${Button} busy=${form.busy}>${t('complaint.response_button')}<//>
    </form>
  `;
}

function DecisionForm({ complaintId, onDone }) {
  const form = useForm({ decision: '', remarks: '' });
  const submit = form.submit(async ({ decision, remarks }) => {
    const problems = {};
    if (!decision) problems.decision = 'complaint.decision_missing';
    if (!remarks.trim()) problems.remarks = 'complaint.remarks_missing';
    if (Object.keys(problems).length) return form.fail(problems);
    await api.resolveComplaint(complaintId, { decision, remarks: remarks.trim() });
    await onDone();
  });
  const options = ['upheld', 'dismissed'].map((value) => ({ value, label: t(`complaint.decide_${value}`) }));
  return html`
    <form onSubmit=${submit} novalidate>
      <${ErrorSummary} errors=${form.summary} />
      <${Choices} id="decision" legend=${t('complaint.decision_legend')} error=${form.errors.decision} options=${options}
        value=${form.values.decision} onChange=${(v) => form.setValue('decision', v)} />
      <${TextArea} id="remarks" label=${t('complaint.remarks_label')} error=${form.errors.remarks}
        value=${form.values.remarks} onInput=${form.set('remarks')} maxlength="2000" />
      <${Button} busy=${form.busy}>${t('complaint.decide_button')}<//>
    </form>
  `;
}

export function Complaint({ params, query }) {
  const me = useStore(session)?.me;
  const { data: complaint, error, reload } = useLoad(() => api.complaint(params.id), [params.id]);
  if (!complaint) return html`<${Page} title=${t('complaint.title')}>${error ? html`<${Notice} kind="warning" role="alert">${api.errorText(error)}<//>` : html`<${Loading} />`}<//>`;
  const concerned = me?.professional_id && me.professional_id === complaint.professional_id;
  const open = complaint.status === 'open' || complaint.status === 'escalated';
  return html`
    <${Page} title=${t('complaint.title')}>
      ${query.get('done') === 'filed' && html`<${Notice} kind="success" role="status" title=${t('complaint.filed')}><p>${t('complaint.filed_text', { time: when(complaint.due_by) })}</p><//>`}
      <p class="status-line">${t('complaint.status')}: <${Tag} kind="complaint" value=${complaint.status} /></p>
      <${SummaryList} rows=${[
        [t('complaint.kind_label'), t(`complaint.kind.${complaint.kind}`)],
        [t('complaint.description'), complaint.description],
        [t('complaint.amount_paid'), complaint.amount_paid_paise != null && money(complaint.amount_paid_paise)],
        [t('booking.fee'), money(complaint.fee_paise)],
        [t('complaint.filed_at'), when(complaint.created_at)],
        [t('complaint.due_by'), open && when(complaint.due_by)],
        [t('complaint.evidence'), complaint.evidence?.length ? t(complaint.evidence.length === 1 ? 'complaint.evidence_one' : 'complaint.evidence_count', { n: complaint.evidence.length }) : t('complaint.evidence_none')],
        [t('complaint.response'), complaint.response?.text],
        [t('complaint.decision'), complaint.decision && t(`complaint.decision_${complaint.decision.outcome}`)],
        [t('complaint.remarks'), complaint.decision?.remarks],
        [t('complaint.escalation'), complaint.escalation && t('complaint.escalated_to', { target: complaint.escalation.target || 'IGRS' })],
        ...sanctionRows(complaint),
      ]} />
      <p><${Link} to=${concerned ? `/pro/bookings/${complaint.booking_id}` : `/bookings/${complaint.booking_id}`}>${t('complaint.see_booking')}<//></p>
      ${concerned && complaint.status === 'open' && !complaint.response && html`<h2 class="heading-m">${t('complaint.respond_title')}</h2><${ResponseForm} complaintId=${params.id} onDone=${reload} />`}
      ${isOfficer(me) && open && html`<h2 class="heading-m">${t('complaint.decide_title')}</h2><${DecisionForm} complaintId=${params.id} onDone=${reload} />`}
      <${SanctionActions} complaint=${complaint} me=${me} concerned=${concerned} onDone=${reload} />
    <//>
  `;
}
