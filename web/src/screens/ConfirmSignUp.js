// The code Cognito sent by SMS confirms the number; then the user is signed in.
import { html } from 'htm/preact';
import * as api from '../api.js';
import * as cognito from '../cognito.js';
import { Button } from '../components/Button.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Field } from '../components/Field.js';
import { Page } from '../components/Page.js';
import { digitsOf } from '../format.js';
import { useForm } from '../hooks.js';
import { t } from '../i18n.js';
import { navigate, route } from '../router.js';
import { setMe, signIn } from '../session.js';
import { cognitoProblem, forget, pendingPassword } from './account.js';

export function ConfirmSignUp({ query }) {
  const mobile = query.get('mobile') || '';
  const next = query.get('next') || '/';
  const username = `+91${mobile}`;
  const form = useForm({ code: '' });
  const submit = form.submit(async ({ code }) => {
    const digits = digitsOf(code);
    if (!/^\d{4,8}$/.test(digits)) return form.fail({ code: 'confirm.code_missing' });
    try {
      await cognito.confirmSignUp(username, digits);
    } catch (error) {
      if (error.type !== 'NotAuthorizedException') return form.fail(cognitoProblem(error, 'code'));
      // Already confirmed: carry on to sign-in.
    }
    const password = pendingPassword(username);
    forget();
    if (!password) return navigate('/sign-in', { params: { mobile, next }, replace: true });
    await signIn(username, password);
    setMe(await api.me());
    // Unless the person has gone elsewhere meanwhile (the header's links work at once).
    if (route.get().path === '/sign-up/confirm') navigate(next, { replace: true });
  });
  return html`
    <${Page} title=${t('confirm.title')}>
      <${ErrorSummary} errors=${form.summary} />
      <p>${t('confirm.lead', { mobile: `+91 ${mobile.slice(0, 5)} ${mobile.slice(5)}` })}</p>
      <form onSubmit=${submit} novalidate>
        <${Field} id="code" label=${t('confirm.code_label')} hint=${t('confirm.code_hint')} error=${form.errors.code}
          autocomplete="one-time-code" inputmode="numeric" width="6" value=${form.values.code} onInput=${form.set('code')} />
        <${Button} busy=${form.busy}>${t('confirm.button')}<//>
      </form>
    <//>
  `;
}
