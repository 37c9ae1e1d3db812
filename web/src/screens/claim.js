// An assisted professional takes over their own account: the agency (or officer) that registered
// them sends a code to the registered mobile (POST /professionals/{id}/claim-code); the
// professional, signed in with that mobile, enters it here (POST /professionals/{id}/claim).
// Loaded when one of these screens opens.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import * as api from '../api.js';
import { Button } from '../components/Button.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Field } from '../components/Field.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { digitsOf, when } from '../format.js';
import { useForm } from '../hooks.js';
import { t } from '../i18n.js';
import { href, Link } from '../router.js';
import { setMe } from '../session.js';

/** The manager's button: send the worker the code (again), and say where they enter it. */
export function ClaimCodeSender({ professionalId }) {
  const form = useForm({});
  const [sent, setSent] = useState(null);
  const send = form.submit(async () => setSent(await api.sendClaimCode(professionalId)));
  return html`
    <h2 class="heading-m">${t('claim.send_title')}</h2>
    <p>${t('claim.send_lead')}</p>
    <${ErrorSummary} errors=${form.summary} />
    ${sent && html`<${Notice} kind="success" role="status" title=${t('claim.sent', { time: when(sent.expires_at) })}>
      <p>${t('claim.sent_text')} <strong class="code-text">${window.location.origin}${href('/pro/claim', { id: professionalId })}</strong></p>
      <p>${t('claim.worker_id')}: <strong class="code-text">${professionalId}</strong></p>
    <//>`}
    <form onSubmit=${send}><${Button} variant="secondary" busy=${form.busy}>${t(sent ? 'claim.send_again' : 'claim.send_button')}<//></form>
  `;
}

/** The professional's screen: their ID (from the link) and the code from the SMS. */
export function ClaimAccount({ query }) {
  const form = useForm({ id: query.get('id') || '', code: '' });
  const [claimed, setClaimed] = useState(false);
  const submit = form.submit(async ({ id, code }) => {
    const problems = {};
    if (!id.trim()) problems.id = 'claim.id_missing';
    const digits = digitsOf(code);
    if (!/^\d{6}$/.test(digits)) problems.code = 'errors.field.code';
    if (Object.keys(problems).length) return form.fail(problems);
    await api.claim(id.trim(), digits);
    setMe(await api.me());
    setClaimed(true);
  });
  return html`
    <${Page} title=${t('claim.title')}>
      ${claimed
        ? html`<${Notice} kind="success" role="status" title=${t('claim.done')}><p><${Link} to="/pro">${t('claim.go_home')}<//></p><//>`
        : html`
          <p>${t('claim.lead')}</p>
          <${ErrorSummary} errors=${form.summary} />
          <form onSubmit=${submit} novalidate>
            <${Field} id="id" label=${t('claim.id_label')} hint=${t('claim.id_hint')} error=${form.errors.id}
              autocomplete="off" value=${form.values.id} onInput=${form.set('id')} />
            <${Field} id="code" label=${t('claim.code_label')} hint=${t('claim.code_hint')} error=${form.errors.code}
              inputmode="numeric" autocomplete="one-time-code" width="6" value=${form.values.code} onInput=${form.set('code')} />
            <${Button} busy=${form.busy}>${t('claim.button')}<//>
          </form>`}
    <//>
  `;
}
