// The professional's home: register if not yet, else where verification stands, what to do
// next, and (once verified) going online or offline.
import { html } from 'htm/preact';
import { useCallback } from 'preact/hooks';
import * as api from '../api.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { Tag } from '../components/Tag.js';
import { config } from '../config.js';
import { when } from '../format.js';
import { useLoad, usePolling } from '../hooks.js';
import { t } from '../i18n.js';
import { Link } from '../router.js';
import { setMe } from '../session.js';
import { Availability } from './Availability.js';

const IN_CHECK = new Set(['verification_pending', 'police_pending']);

export async function myProfessional() {
  const me = await api.me();
  setMe(me);
  return me.professional_id ? api.professional(me.professional_id) : null;
}

export function History({ history }) {
  return html`
    <ol class="timeline">
      ${history.map(
        (event, i) => html`<li class="timeline__item" key=${i}>
          <span class="timeline__title">${t(`verification.stage.${event.stage}`)}${event.outcome ? ` · ${t(`verification.outcome.${event.outcome}`)}` : ''}</span>
          <span class="timeline__time">${when(event.at)}</span>
        </li>`,
      )}
    </ol>
  `;
}

export function ProHome({ query }) {
  const { data: pro, error, loading, reload } = useLoad(myProfessional, []);
  const tick = useCallback(() => reload(), [reload]);
  usePolling(tick, config().pollSeconds, pro && IN_CHECK.has(pro.status));
  if (loading && !pro) return html`<${Page} title=${t('pro.title')}><${Loading} /><//>`;
  if (error) return html`<${Page} title=${t('pro.title')}><${Notice} kind="warning" role="alert">${api.errorText(error)}<//><//>`;
  if (!pro) {
    return html`
      <${Page} title=${t('pro.join_title')}>
        <p class="lead">${t('pro.join_lead')}</p>
        <ol class="list list--number">
          <li>${t('pro.join_step_register')}</li>
          <li>${t('pro.join_step_documents')}</li>
          <li>${t('pro.join_step_police')}</li>
          <li>${t('pro.join_step_work')}</li>
        </ol>
        <${Link} class="button button--primary" to="/pro/register">${t('pro.join_button')}<//>
        <p><${Link} to="/agency">${t('pro.agency_link')}<//></p>
        <p><${Link} to="/pro/claim">${t('claim.link')}<//></p>
      <//>
    `;
  }
  const failed = pro.verification.failed_documents || [];
  return html`
    <${Page} title=${pro.name} caption=${t('pro.title')}>
      ${query.get('done') === 'submitted' && html`<${Notice} kind="success" role="status" title=${t('pro.submitted')} />`}
      <p class="status-line" aria-live="polite">${t('pro.status')}: <${Tag} kind="professional" value=${pro.status} /></p>
      <p>${t(`pro.explain_${pro.status}`)}</p>
      ${failed.length > 0 && html`
        <${Notice} kind="warning" title=${t('pro.failed_documents')}>
          <ul class="list">${failed.map((f) => html`<li key=${f.kind}>${t(`documents.kind.${f.kind}`)}: ${t(`documents.fault.${f.reason}`)}</li>`)}</ul>
        <//>`}
      ${pro.status === 'pending_documents' && html`<${Link} class="button button--primary" to="/pro/documents">${t('pro.go_documents')}<//>`}
      ${pro.status === 'verified' && html`
        <${Availability} professional=${pro} />
        <h2 class="heading-m">${t('pro.work_title')}</h2>
        <ul class="list">
          <li><${Link} to="/pro/requests">${t('pro.requests_link')}<//></li>
          <li><${Link} to="/pro/card">${t('pro.card_link')}<//></li>
          <li><${Link} to="/work">${t('pro.jobs_link')}<//></li>
        </ul>`}
      <h2 class="heading-m">${t('pro.history_title')}</h2>
      <${History} history=${pro.verification.history} />
    <//>
  `;
}
