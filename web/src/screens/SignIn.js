// Sign in with the mobile number and password (Cognito), then back to where the user was going.
import { html } from 'htm/preact';
import * as api from '../api.js';
import { Button } from '../components/Button.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Field } from '../components/Field.js';
import { Page } from '../components/Page.js';
import { mobileOf } from '../format.js';
import { useForm } from '../hooks.js';
import { t } from '../i18n.js';
import { Link, navigate, route } from '../router.js';
import { setMe, signIn } from '../session.js';
import { cognitoProblem, remember } from './account.js';

export function SignIn({ query }) {
  const next = query.get('next') || '/';
  const form = useForm({ mobile: query.get('mobile') || '', password: '' });
  const { values, errors } = form;
  const submit = form.submit(async () => {
    const mobile = mobileOf(values.mobile);
    const problems = {};
    if (!/^[6-9]\d{9}$/.test(mobile)) problems.mobile = 'errors.field.mobile';
    if (!values.password) problems.password = 'sign_in.password_missing';
    if (Object.keys(problems).length) return form.fail(problems);
    try {
      await signIn(`+91${mobile}`, values.password);
    } catch (error) {
      if (error.type === 'UserNotConfirmedException') {
        remember(`+91${mobile}`, values.password);
        return navigate('/sign-up/confirm', { params: { mobile, next } });
      }
      return form.fail(cognitoProblem(error, 'password'));
    }
    setMe(await api.me());
    // Unless the person has gone elsewhere meanwhile (the header's links work at once).
    if (route.get().path === '/sign-in') navigate(next, { replace: true });
  });
  return html`
    <${Page} title=${t('sign_in.title')}>
      <${ErrorSummary} errors=${form.summary} />
      <form onSubmit=${submit} novalidate>
        <${Field} id="mobile" label=${t('account.mobile_label')} hint=${t('account.mobile_hint')} error=${errors.mobile}
          type="tel" autocomplete="username" inputmode="numeric" width="10" value=${values.mobile} onInput=${form.set('mobile')} />
        <${Field} id="password" label=${t('account.password_label')} error=${errors.password}
          type="password" autocomplete="current-password" value=${values.password} onInput=${form.set('password')} />
        <${Button} busy=${form.busy}>${t('sign_in.button')}<//>
      </form>
      <h2 class="heading-s">${t('sign_in.no_account')}</h2>
      <p><${Link} to="/sign-up" params=${{ next }}>${t('sign_in.create_account')}<//></p>
    <//>
  `;
}
