// Officers and employers: is this Aadhaar or mobile number on the ban registry?
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import * as api from '../api.js';
import { AadhaarField } from '../components/AadhaarField.js';
import { Button } from '../components/Button.js';
import { Choices } from '../components/Choices.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Field } from '../components/Field.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { mobileOf, when } from '../format.js';
import { useForm } from '../hooks.js';
import { t } from '../i18n.js';

export function BanCheck() {
  const form = useForm({ by: '', aadhaar: '', mobile: '' });
  const [result, setResult] = useState(null);
  const { values, errors } = form;
  const submit = form.submit(async () => {
    setResult(null);
    if (!values.by) return form.fail({ by: 'ban_check.by_missing' });
    if (values.by === 'aadhaar' && values.aadhaar.length !== 12) return form.fail({ aadhaar: 'errors.field.aadhaar' });
    const mobile = mobileOf(values.mobile);
    if (values.by === 'mobile' && !/^[6-9]\d{9}$/.test(mobile)) return form.fail({ mobile: 'errors.field.mobile' });
    const answer = await api.banCheck(values.by === 'aadhaar' ? { aadhaar: values.aadhaar } : { mobile });
    setResult(answer);
  });
  const options = [
    { value: 'aadhaar', label: t('ban_check.by_aadhaar') },
    { value: 'mobile', label: t('ban_check.by_mobile') },
  ];
  return html`
    <${Page} title=${t('ban_check.title')}>
      <${ErrorSummary} errors=${form.summary} />
      <p>${t('ban_check.lead')}</p>
      ${result && html`
        <${Notice} kind=${result.banned ? 'warning' : 'success'} role="status" title=${t(result.banned ? 'ban_check.banned' : 'ban_check.not_banned')}>
          ${result.banned && result.name && html`<p>${result.name}${result.banned_at ? ` · ${when(result.banned_at)}` : ''}</p>`}
        <//>`}
      <form onSubmit=${submit} novalidate>
        <${Choices} id="by" legend=${t('ban_check.by_legend')} error=${errors.by} options=${options} value=${values.by} onChange=${(v) => form.setValue('by', v)} />
        ${values.by === 'aadhaar' && html`<${AadhaarField} id="aadhaar" label=${t('pro_register.aadhaar_label')} error=${errors.aadhaar}
          value=${values.aadhaar} onChange=${(v) => form.setValue('aadhaar', v)} />`}
        ${values.by === 'mobile' && html`<${Field} id="mobile" label=${t('account.mobile_label')} error=${errors.mobile}
          type="tel" inputmode="numeric" autocomplete="off" width="10" value=${values.mobile} onInput=${form.set('mobile')} />`}
        <${Button} busy=${form.busy}>${t('ban_check.button')}<//>
      </form>
    <//>
  `;
}
