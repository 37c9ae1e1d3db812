// Documents for verification, from the phone's camera or its files: each one asks the API for an
// upload form and goes straight to storage; then the professional sends everything for checking.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import * as api from '../api.js';
import { allServices } from '../catalog.js';
import { Button } from '../components/Button.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { FileField } from '../components/Field.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { Tag } from '../components/Tag.js';
import { ACCEPT, fileProblem } from '../files.js';
import { when } from '../format.js';
import { useForm, useLoad } from '../hooks.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { myProfessional } from './ProHome.js';

function DocumentUpload({ pro, kind, required, onUploaded }) {
  const [file, setFile] = useState(null);
  // The API records an upload when the submission finds it in storage; until then this page
  // knows what it uploaded itself.
  const [sent, setSent] = useState(null);
  const form = useForm({});
  const uploaded = pro.documents?.[kind]?.uploaded_at || sent;
  const id = `file-${kind}`;
  const submit = form.submit(async () => {
    const problem = fileProblem(file);
    if (problem) return form.fail({ [id]: problem });
    const slot = await api.requestDocumentUpload(pro.id, { kind, content_type: file.type, size_bytes: file.size });
    await api.upload(slot.upload, file);
    setSent(new Date().toISOString());
    setFile(null);
    await onUploaded();
  });
  return html`
    <section class="document" aria-labelledby=${`${id}-title`}>
      <h2 class="heading-s" id=${`${id}-title`}>
        ${t(`documents.kind.${kind}`)} ${required ? '' : html`<span class="hint-inline">(${t('common.optional')})</span>`}
      </h2>
      <p>${uploaded ? html`<${Tag} kind="document" value="uploaded" /> ${when(uploaded)}` : html`<${Tag} kind="document" value="missing" />`}</p>
      <p class="hint">${t(`documents.explain.${kind}`)}</p>
      ${form.summary.length > 0 && !form.errors[id] && html`<${Notice} kind="warning" role="alert">${form.summary[0].message}<//>`}
      <form onSubmit=${submit} novalidate>
        <${FileField} id=${id} label=${t(uploaded ? 'documents.replace_label' : 'documents.file_label', { kind: t(`documents.kind.${kind}`) })}
          hint=${t('documents.file_hint')} error=${form.errors[id]} accept=${ACCEPT}
          onChange=${(e) => setFile(e.currentTarget.files[0] || null)} />
        <${Button} variant="secondary" busy=${form.busy}>${t('documents.upload_button', { kind: t(`documents.kind.${kind}`) })}<//>
      </form>
    </section>
  `;
}

/** params.id: a worker registered on their behalf (the agency's screens); else the caller's own. */
export function ProDocuments({ params = {} }) {
  const { data, error, reload } = useLoad(async () => {
    const [pro, services] = await Promise.all([params.id ? api.professional(params.id) : myProfessional(), allServices()]);
    return { pro, services };
  }, [params.id]);
  const form = useForm({});
  if (!data) return html`<${Page} title=${t('documents.title')}>${error ? html`<${Notice} kind="warning" role="alert">${api.errorText(error)}<//>` : html`<${Loading} />`}<//>`;
  const { pro, services } = data;
  if (!pro) {
    navigate('/pro', { replace: true });
    return null;
  }
  const needsQualification = pro.services.some((id) => services.find((s) => s.id === id)?.requires_qualification);
  const kinds = [['id_proof', true], ['qualification', needsQualification], ['photo', false]];
  const submit = form.submit(async () => {
    await api.submitForVerification(pro.id);
    navigate(params.id ? `/agency/professionals/${params.id}` : '/pro', { params: { done: 'submitted' }, replace: true });
  });
  return html`
    <${Page} title=${t('documents.title')}>
      <${ErrorSummary} errors=${form.summary} />
      <p>${t('documents.lead')}</p>
      ${kinds.map(([kind, required]) => html`<${DocumentUpload} key=${kind} pro=${pro} kind=${kind} required=${required} onUploaded=${reload} />`)}
      ${pro.status === 'pending_documents' && html`
        <h2 class="heading-m">${t('documents.send_title')}</h2>
        <p>${t('documents.send_text')}</p>
        <form onSubmit=${submit}><${Button} busy=${form.busy}>${t('documents.send_button')}<//></form>`}
    <//>
  `;
}
