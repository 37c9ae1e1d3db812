// A complaint about a booking, with evidence: what happened, what was paid, a photo or a receipt.
import { html } from 'htm/preact';
import { useMemo, useState } from 'preact/hooks';
import * as api from '../api.js';
import { Button } from '../components/Button.js';
import { Choices } from '../components/Choices.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Field, FileField, TextArea } from '../components/Field.js';
import { Page } from '../components/Page.js';
import { ACCEPT, fileProblem } from '../files.js';
import { paiseOf } from '../format.js';
import { useForm } from '../hooks.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';

export const KINDS = ['overcharge', 'no_show', 'misconduct', 'quality', 'other'];

export function Complain({ params }) {
  const key = useMemo(() => api.idempotencyKey(), []);
  const form = useForm({ kind: '', amount: '', description: '' });
  const [file, setFile] = useState(null);
  const [created, setCreated] = useState(null);
  const { values, errors } = form;

  const submit = form.submit(async () => {
    const problems = {};
    if (!values.kind) problems.kind = 'complain.kind_missing';
    const paise = values.kind === 'overcharge' ? paiseOf(values.amount) : null;
    if (values.kind === 'overcharge' && paise === null) problems.amount_paid_paise = 'errors.field.amount_paid_paise';
    if (!values.description.trim()) problems.description = 'complain.description_missing';
    const fileKey = file ? fileProblem(file) : null;
    if (fileKey) problems.evidence = fileKey;
    if (Object.keys(problems).length) return form.fail(problems);
    // A retry after the complaint was filed only uploads the evidence again.
    let complaint = created;
    if (!complaint) {
      complaint = await api.createComplaint(
        { booking_id: params.id, kind: values.kind, description: values.description.trim(), ...(paise !== null ? { amount_paid_paise: paise } : {}) },
        key,
      );
      setCreated(complaint);
    }
    if (file) {
      const slot = await api.requestEvidenceUpload(complaint.id, { content_type: file.type, size_bytes: file.size });
      await api.upload(slot.upload, file);
    }
    navigate(`/complaints/${complaint.id}`, { params: { done: 'filed' }, replace: true });
  });

  const kinds = KINDS.map((kind) => ({ value: kind, label: t(`complaint.kind.${kind}`) }));
  return html`
    <${Page} title=${t('complain.title')}>
      <${ErrorSummary} errors=${form.summary} />
      <p>${t('complain.lead')}</p>
      <form onSubmit=${submit} novalidate>
        <${Choices} id="kind" legend=${t('complain.kind_legend')} error=${errors.kind} options=${kinds}
          value=${values.kind} onChange=${(v) => form.setValue('kind', v)} />
        ${values.kind === 'overcharge' && html`
          <${Field} id="amount_paid_paise" label=${t('complain.amount_label')} hint=${t('complain.amount_hint')} error=${errors.amount_paid_paise}
            inputmode="decimal" width="10" prefix="₹" value=${values.amount} onInput=${form.set('amount')} />`}
        <${TextArea} id="description" label=${t('complain.description_label')} hint=${t('complain.description_hint')}
          error=${errors.description} value=${values.description} onInput=${form.set('description')} maxlength="2000" />
        <${FileField} id="evidence" label=${t('complain.evidence_label')} hint=${t('complain.evidence_hint')} error=${errors.evidence}
          accept=${ACCEPT} onChange=${(e) => setFile(e.currentTarget.files[0] || null)} />
        <${Button} busy=${form.busy}>${t('complain.button')}<//>
      </form>
    <//>
  `;
}
