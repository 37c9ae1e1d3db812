// Officers' queues: police verification requests waiting, complaints to decide, agencies to approve.
import { html } from 'htm/preact';
import * as api from '../api.js';
import { Button } from '../components/Button.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { Tag } from '../components/Tag.js';
import { when } from '../format.js';
import { useForm, useLoad } from '../hooks.js';
import { districtByName } from '../data/districts.js';
import { language, t } from '../i18n.js';
import { Link } from '../router.js';

function Queue({ title, load, render }) {
  const { data, error, reload } = useLoad(load, []);
  return html`
    <section class="queue">
      <h2 class="heading-m">${title}</h2>
      ${error && html`<${Notice} kind=${['route_not_found', 'method_not_allowed'].includes(error.code) ? 'info' : 'warning'}>${api.errorText(error)}<//>`}
      ${!data && !error && html`<${Loading} />`}
      ${data && (data.length ? html`<ul class="cards">${data.map((item) => render(item, reload))}</ul>` : html`<p>${t('officer.queue_empty')}</p>`)}
    </section>
  `;
}

function ApproveAgency({ agency, onDone }) {
  const form = useForm({});
  const approve = form.submit(async () => {
    await api.approveAgency(agency.id);
    await onDone();
  });
  return html`<form onSubmit=${approve}>
    ${form.summary.length > 0 && html`<p class="error-message">${form.summary[0].message}</p>`}
    <${Button} variant="secondary" busy=${form.busy}>${t('officer.approve_named', { name: agency.name })}<//>
  </form>`;
}

export function Officer() {
  return html`
    <${Page} title=${t('officer.title')}>
      <${Queue}
        title=${t('officer.verification_title')}
        load=${async () => (await api.verificationRequests()).requests}
        render=${(r) => html`
          <li class="card" key=${r.request_id}>
            <p class="card__title"><${Link} to=${`/officer/professionals/${r.professional_id}`}>${t('officer.request_of', { district: districtByName(r.district)?.[language.get()] || r.district })}<//></p>
            <p class="card__meta">${t('officer.requested_at', { time: when(r.requested_at) })}</p>
          </li>`}
      />
      <${Queue}
        title=${t('officer.complaints_title')}
        load=${async () => (await api.complaints({ status: 'open' })).complaints}
        render=${(c) => html`
          <li class="card" key=${c.id}>
            <p class="card__title"><${Link} to=${`/complaints/${c.id}`}>${t(`complaint.kind.${c.kind}`)}<//></p>
            <p class="card__meta"><${Tag} kind="complaint" value=${c.status} /> ${t('complaint.due_by')}: ${when(c.due_by)}</p>
          </li>`}
      />
      <${Queue}
        title=${t('officer.agencies_title')}
        load=${async () => (await api.agencies({ status: 'pending_approval' })).agencies}
        render=${(a, reload) => html`
          <li class="card" key=${a.id}>
            <p class="card__title">${a.name}</p>
            <p class="card__meta">${districtByName(a.district)?.[language.get()] || a.district}</p>
            <${ApproveAgency} agency=${a} onDone=${reload} />
          </li>`}
      />
    <//>
  `;
}
