// Online (citizens within 3 km can find and book you) or offline; optionally from where you are now.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import * as api from '../api.js';
import { Button } from '../components/Button.js';
import { Choices } from '../components/Choices.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Notice } from '../components/Notice.js';
import { currentPosition, round } from '../geo.js';
import { useForm } from '../hooks.js';
import { t } from '../i18n.js';

const KEY = 'sevamitra.online';

function lastKnown(id) {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || '{}')[id] ?? null;
  } catch {
    return null;
  }
}

function keep(id, answer) {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ ...JSON.parse(sessionStorage.getItem(KEY) || '{}'), [id]: answer }));
  } catch {
    // Not remembered: the page asks again after a reload.
  }
}

export function Availability({ professional }) {
  const [answer, setAnswer] = useState(() => lastKnown(professional.id));
  const form = useForm({ online: answer ? (answer.online ? 'yes' : 'no') : '', here: [] });
  const submit = form.submit(async ({ online, here }) => {
    if (!online) return form.fail({ online: 'availability.missing' });
    const body = { online: online === 'yes' };
    if (body.online && here.includes('here')) {
      try {
        const { lat, lng } = await currentPosition();
        body.location = { lat: round(lat), lng: round(lng) };
      } catch (error) {
        return form.fail({ 'online-here': `location.error_${error.reason || 'unavailable'}` });
      }
    }
    const result = await api.setAvailability(professional.id, body);
    keep(professional.id, result);
    setAnswer(result);
  });
  const options = [
    { value: 'yes', label: t('availability.online') },
    { value: 'no', label: t('availability.offline') },
  ];
  return html`
    <h2 class="heading-m">${t('availability.title')}</h2>
    ${answer && html`
      <${Notice} kind=${answer.online ? 'success' : 'info'} role="status" title=${t(answer.online ? 'availability.now_online' : 'availability.now_offline')}>
        ${answer.online && !answer.findable && html`<p>${t('availability.not_findable')}</p>`}
      <//>`}
    <${ErrorSummary} errors=${form.summary} />
    <form onSubmit=${submit} novalidate>
      <${Choices} id="online" legend=${t('availability.legend')} error=${form.errors.online} options=${options}
        value=${form.values.online} onChange=${(v) => form.setValue('online', v)} />
      ${form.values.online === 'yes' && html`
        <${Choices} id="online-here" type="checkbox" legend=${t('availability.where_legend')} error=${form.errors['online-here']}
          options=${[{ value: 'here', label: t('availability.use_device'), hint: t('availability.use_device_hint') }]}
          value=${form.values.here} onChange=${(v) => form.setValue('here', v)} />`}
      <${Button} busy=${form.busy}>${t('availability.button')}<//>
    </form>
  `;
}
