// Stars and a few words for the professional, once the work is done.
import { html } from 'htm/preact';
import * as api from '../api.js';
import { Button } from '../components/Button.js';
import { Choices } from '../components/Choices.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { TextArea } from '../components/Field.js';
import { Page } from '../components/Page.js';
import { useForm } from '../hooks.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';

export function Rate({ params }) {
  const form = useForm({ stars: '', comment: '' });
  const submit = form.submit(async ({ stars, comment }) => {
    if (!stars) return form.fail({ stars: 'rate.stars_missing' });
    await api.rateBooking(params.id, { stars: Number(stars), ...(comment.trim() ? { comment: comment.trim() } : {}) });
    navigate(`/bookings/${params.id}`, { params: { done: 'rated' }, replace: true });
  });
  const options = [5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: t(`rate.stars_${n}`) }));
  return html`
    <${Page} title=${t('rate.title')}>
      <${ErrorSummary} errors=${form.summary} />
      <form onSubmit=${submit} novalidate>
        <${Choices} id="stars" legend=${t('rate.stars_legend')} error=${form.errors.stars} options=${options}
          value=${form.values.stars} onChange=${(v) => form.setValue('stars', v)} />
        <${TextArea} id="comment" label=${t('rate.comment_label')} hint=${t('common.optional')} error=${form.errors.comment}
          value=${form.values.comment} onInput=${form.set('comment')} maxlength="1000" />
        <${Button} busy=${form.busy}>${t('rate.button')}<//>
      </form>
    <//>
  `;
}
