// Agencies (vendor companies and contractors that supply professionals): register the agency,
// and once an officer approves it, register workers on their behalf, upload their documents,
// send them for verification and follow it, and send the worker the code to claim their own
// account. Loaded when one of these screens opens.
import { html } from 'htm/preact';
import { useCallback, useState } from 'preact/hooks';
import * as api from '../api.js';
import { Button } from '../components/Button.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Field } from '../components/Field.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { Select } from '../components/Select.js';
import { SummaryList } from '../components/SummaryList.js';
import { Tag } from '../components/Tag.js';
import { config } from '../config.js';
import { districtByName } from '../data/districts.js';
import { mobileOf } from '../format.js';
import { useForm, useLoad, usePolling } from '../hooks.js';
import { language, t } from '../i18n.js';
import { Link } from '../router.js';
import { setMe } from '../session.js';
import { rememberedWorkers } from '../workers.js';
import { ClaimCodeSender } from './claim.js';
import { districtOptions } from './ChooseLocation.js';
import { ProDocuments } from './ProDocuments.js';
import { History } from './ProHome.js';
import { ProRegister } from './ProRegister.js';

const IN_CHECK = new Set(['verification_pending', 'police_pending']);

function RegisterAgency({ onDone }) {
  const form = useForm({ name: '', udyam_number: '', district: '', contact_mobile: '' });
  const [key] = useState(api.idempotencyKey);
  const { values, errors } = form;
  const submit = form.submit(async (v) => {
    const problems = {};
    if (!v.name.trim()) problems.name = 'agency.name_missing';
    if (!/^UDYAM-[A-Z]{2}-\d{2}-\d{7}$/.test(v.udyam_number.trim().toUpperCase())) problems.udyam_number = 'errors.field.udyam_number';
    const district = districtByName(v.district);
    if (!district) problems.district = 'location.district_missing';
    if (!/^[6-9]\d{9}$/.test(mobileOf(v.contact_mobile))) problems.contact_mobile = 'errors.field.mobile';
    if (Object.keys(problems).length) return form.fail(problems);
    await api.createAgency(
      { name: v.name.trim(), udyam_number: v.udyam_number.trim().toUpperCase(), district: district.en, contact_mobile: mobileOf(v.contact_mobile) },
      key,
    );
    const me = await api.me();
    setMe(me);
    await onDone();
  });
  return html`
    <${ErrorSummary} errors=${form.summary} />
    <p>${t('agency.register_lead')}</p>
    <form onSubmit=${submit} novalidate>
      <${Field} id="name" label=${t('agency.name_label')} error=${errors.name} autocomplete="organization" value=${values.name} onInput=${form.set('name')} maxlength="200" />
      <${Field} id="udyam_number" label=${t('agency.udyam_label')} hint=${t('agency.udyam_hint')} error=${errors.udyam_number}
        autocapitalize="characters" spellcheck="false" value=${values.udyam_number} onInput=${form.set('udyam_number')} />
      <${Select} id="district" label=${t('agency.district_label')} error=${errors.district} value=${values.district}
        onChange=${form.set('district')} options=${districtOptions()} placeholder=${t('common.choose')} />
      <${Field} id="contact_mobile" label=${t('agency.mobile_label')} error=${errors.contact_mobile} type="tel" autocomplete="tel-national"
        inputmode="numeric" width="10" value=${values.contact_mobile} onInput=${form.set('contact_mobile')} />
      <${Button} busy=${form.busy}>${t('agency.register_button')}<//>
    </form>
  `;
}

export function AgencyHome() {
  const { data: agency, error, loading, reload } = useLoad(async () => {
    const me = await api.me();
    setMe(me);
    return me.agency_id ? api.agency(me.agency_id) : null;
  }, []);
  if (loading && !agency) return html`<${Page} title=${t('agency.title')}><${Loading} /><//>`;
  if (error) return html`<${Page} title=${t('agency.title')}><${Notice} kind="warning" role="alert">${api.errorText(error)}<//><//>`;
  if (!agency) return html`<${Page} title=${t('agency.register_title')}><${RegisterAgency} onDone=${reload} /><//>`;
  const workers = rememberedWorkers();
  const approved = agency.status === 'approved';
  return html`
    <${Page} title=${agency.name} caption=${t('agency.title')}>
      <p class="status-line">${t('booking.status')}: <${Tag} kind="agency" value=${agency.status} /></p>
      <p>${t(approved ? 'agency.approved_text' : 'agency.pending_text')}</p>
      <${SummaryList} rows=${[
        [t('agency.district_label'), districtByName(agency.district)?.[language.get()] || agency.district],
        [t('agency.udyam_label'), agency.udyam_number],
        [t('agency.members'), String(agency.members)],
        [t('agency.professionals'), String(agency.professionals)],
      ]} />
      ${approved && html`<${Link} class="button button--primary" to="/agency/register">${t('agency.register_worker_link')}<//>`}
      <h2 class="heading-m">${t('agency.workers_title')}</h2>
      ${workers.length === 0 ? html`<p>${t('agency.no_workers')}</p>` : html`
        <ul class="list">${workers.map((w) => html`<li key=${w.id}><${Link} to=${`/agency/professionals/${w.id}`}>${w.name}<//></li>`)}</ul>`}
      <p class="hint">${t('agency.workers_hint')}</p>
    <//>
  `;
}

export function AgencyRegisterWorker() {
  return html`<${ProRegister} onBehalf=${true} />`;
}

export function AgencyWorkerDocuments({ params }) {
  return html`<${ProDocuments} params=${params} />`;
}

export function AgencyWorker({ params, query }) {
  const { data: pro, error, reload } = useLoad(() => api.professional(params.id), [params.id]);
  const tick = useCallback(() => reload(), [reload]);
  usePolling(tick, config().pollSeconds, pro && IN_CHECK.has(pro.status));
  if (!pro) return html`<${Page} title=${t('agency.worker_title')}>${error ? html`<${Notice} kind="warning" role="alert">${api.errorText(error)}<//>` : html`<${Loading} />`}<//>`;
  const failed = pro.verification?.failed_documents || [];
  return html`
    <${Page} title=${pro.name} caption=${t('agency.worker_title')}>
      ${query.get('done') === 'submitted' && html`<${Notice} kind="success" role="status" title=${t('agency.submitted')} />`}
      <p class="status-line" aria-live="polite">${t('pro.status')}: <${Tag} kind="professional" value=${pro.status} /></p>
      ${failed.length > 0 && html`
        <${Notice} kind="warning" title=${t('pro.failed_documents')}>
          <ul class="list">${failed.map((f) => html`<li key=${f.kind}>${t(`documents.kind.${f.kind}`)}: ${t(`documents.fault.${f.reason}`)}</li>`)}</ul>
        <//>`}
      ${pro.status === 'pending_documents' && html`<${Link} class="button button--primary" to=${`/agency/professionals/${pro.id}/documents`}>${t('pro.go_documents')}<//>`}
      <h2 class="heading-m">${t('pro.history_title')}</h2>
      <${History} history=${pro.verification?.history || []} />
      <${ClaimCodeSender} professionalId=${pro.id} />
    <//>
  `;
}
