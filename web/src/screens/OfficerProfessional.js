// A professional as an officer sees them: the profile, the verification history and the audit
// trail with the result of its hash-chain check.
import { html } from 'htm/preact';
import * as api from '../api.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { SummaryList } from '../components/SummaryList.js';
import { Tag } from '../components/Tag.js';
import { when } from '../format.js';
import { useLoad } from '../hooks.js';
import { districtByName } from '../data/districts.js';
import { has, language, t } from '../i18n.js';

const actionName = (action) => (has(`audit.action.${action}`) ? t(`audit.action.${action}`) : action);

export function OfficerProfessional({ params }) {
  const { data, error } = useLoad(async () => {
    const [pro, trail] = await Promise.all([api.professional(params.id), api.audit(params.id).catch(() => null)]);
    return { pro, trail };
  }, [params.id]);
  if (!data) return html`<${Page} title=${t('officer.professional_title')}>${error ? html`<${Notice} kind="warning" role="alert">${api.errorText(error)}<//>` : html`<${Loading} />`}<//>`;
  const { pro, trail } = data;
  return html`
    <${Page} title=${pro.name} caption=${t('officer.professional_title')}>
      <p class="status-line">${t('pro.status')}: <${Tag} kind="professional" value=${pro.status} /></p>
      <${SummaryList} rows=${[
        [t('officer.district'), districtByName(pro.district)?.[language.get()] || pro.district],
        [t('officer.mobile_last4'), `•••••• ${pro.mobile_last4}`],
        [t('officer.aadhaar_last4'), `•••• •••• ${pro.aadhaar_last4}`],
        [t('officer.documents'), Object.keys(pro.documents || {}).map((k) => t(`documents.kind.${k}`)).join(', ')],
        [t('officer.registered_at'), when(pro.created_at)],
      ]} />
      <h2 class="heading-m">${t('pro.history_title')}</h2>
      <ol class="timeline">
        ${pro.verification.history.map((e, i) => html`<li class="timeline__item" key=${i}>
          <span class="timeline__title">${t(`verification.stage.${e.stage}`)}${e.outcome ? ` · ${t(`verification.outcome.${e.outcome}`)}` : ''}</span>
          <span class="timeline__time">${when(e.at)}</span></li>`)}
      </ol>
      ${trail && html`
        <h2 class="heading-m">${t('officer.audit_title')}</h2>
        <${Notice} kind=${trail.chain_valid ? 'success' : 'warning'} title=${t(trail.chain_valid ? 'officer.chain_valid' : 'officer.chain_broken', { n: trail.broken_at })} />
        ${trail.entries.length === 0 ? html`<p>${t('officer.audit_empty')}</p>` : html`
          <ol class="timeline">${trail.entries.map((e) => html`<li class="timeline__item" key=${e.seq}><span class="timeline__title">${actionName(e.action)}</span><span class="timeline__time">${when(e.at)}</span></li>`)}</ol>`}`}
    <//>
  `;
}
