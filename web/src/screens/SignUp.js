// A new account: mobile number and a password; Cognito sends a code by SMS to confirm the number.
import { html } from 'htm/preact';
import * as cognito from '../cognito.js';
import { Button } from '../components/Button.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Field } from '../components/Field.js';
import { Page } from '../components/Page.js';
import { mobileOf } from '../format.js';
import { useForm } from '../hooks.js';
import { t } from '../i18n.js';
import { Link, navigate } from '../router.js';
import { cognitoProblem, remember } from './account.js';

export const PASSWORD_RULE = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{8,}$/;

export function SignUp({ query }) {
  const next = query.get('next') || '/';
  const form = useForm({ mobile: '', password: '' });
  const { values, errors } = form;
  const submit = form.submit(async () => {
    const mobile = mobileOf(values.mobile);
    const problems = {};
    if (!/^[6-9]\d{9}$/.test(mobile)) problems.mobile = 'errors.field.mobile';
    if (!PASSWORD_RULE.test(values.password)) problems.password = 'errors.cognito.InvalidPasswordException';
    if (Object.keys(problems).length) return form.fail(problems);
    try {
      await cognito.signUp(`+91${mobile}`, values.password);
    } catch (error) {
      return form.fail(cognitoProblem(error, 'mobile'));
    }
    remember(`+91${mobile}`, values.password);
    navigate('/sign-up/confirm', { params: { mobile, next } });
  });
  return html`
    <${Page} title=${t('sign_up.title')}>
      <${ErrorSummary} errors=${form.summary} />
      <p>${t('sign_up.lead')}</p>
      <form onSubmit=${submit} novalidate>
        <${Field} id="mobile" label=${t('account.mobile_label')} hint=${t('account.mobile_hint')} error=${errors.mobile}
          type="tel" autocomplete="username" inputmode="numeric" width="10" value=${values.mobile} onInput=${form.set('mobile')} />
        <${Field} id="password" label=${t('sign_up.password_label')} hint=${t('sign_up.password_hint')} error=${errors.password}
          type="password" autocomplete="new-password" value=${values.password} onInput=${form.set('password')} />
        <${Button} busy=${form.busy}>${t('sign_up.button')}<//>
      </form>
      <p><${Link} to="/sign-in" params=${{ next }}>${t('sign_up.have_account')}<//></p>
    <//>
  `;
}
