// One complaint as each side sees it: the citizen follows it, the professional answers it, an
// officer decides it (after reading both sides and the evidence).
import { html } from 'htm/preact';
import * as api from '../api.js';
import { Downloads } from '../components/Downloads.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { SummaryList } from '../components/SummaryList.js';
import { Tag } from '../components/Tag.js';
import { money, when } from '../format.js';
import { useLoad } from '../hooks.js';
import { t } from '../i18n.js';
import { Link } from '../router.js';
import { isOfficer, session } from '../session.js';
import { useStore } from '../store.js';
import { DecisionForm, StatementForm } from './forms.js';
import { SanctionActions, sanctionRows } from './sanctions.js';

/** The complainant's files, then the receipts on the booking's expense claims, each named. */
function evidenceFiles(evidence) {
  let files = 0;
  let receipts = 0;
  return evidence.map((item) => ({
    ...item,
    id: item.evidence_id,
    name: item.source === 'expense_receipt' ? t('complaint.receipt_n', { n: ++receipts }) : t('complaint.file_n', { n: ++files }),
  }));
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
        // A complaint the system opened carries an English note for the record; people read why in their language.
        [t('complaint.description'), complaint.opened_by === 'system' ? t('complaint.opened_by_system') : complaint.description],
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
      ${complaint.evidence?.length > 0 && html`<h2 class="heading-m">${t('complaint.files_title')}</h2><${Downloads} files=${evidenceFiles(complaint.evidence)} />`}
      <p><${Link} to=${concerned ? `/pro/bookings/${complaint.booking_id}` : `/bookings/${complaint.booking_id}`}>${t('complaint.see_booking')}<//></p>
      ${concerned && complaint.status === 'open' && !complaint.response && html`<h2 class="heading-m">${t('complaint.respond_title')}</h2><${StatementForm} words="complaint.response" send=${(text) => api.respondToComplaint(params.id, text)} onDone=${reload} />`}
      ${isOfficer(me) && open && html`<h2 class="heading-m">${t('complaint.decide_title')}</h2><${DecisionForm} outcomes=${['upheld', 'dismissed']} labels="complaint.decide" send=${(decision) => api.resolveComplaint(params.id, decision)} onDone=${reload} />`}
      <${SanctionActions} complaint=${complaint} me=${me} concerned=${concerned} onDone=${reload} />
    <//>
  `;
}
