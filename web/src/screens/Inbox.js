// Everyone's inbox (GET /me/notifications): what happened to their bookings, complaints, jobs and
// verification, newest first, in the language they chose for notifications (PUT /me/preferences,
// Hindi by default), which also decides the language of their SMS.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import * as api from '../api.js';
import { Button } from '../components/Button.js';
import { Choices } from '../components/Choices.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { PagedList } from '../components/PagedList.js';
import { Page } from '../components/Page.js';
import { when } from '../format.js';
import { useForm, useLoad, usePages } from '../hooks.js';
import { t } from '../i18n.js';
import { lastSeen, markSeen, PAGE_SIZE } from '../inbox.js';
import { Link } from '../router.js';
import { setMe } from '../session.js';

// Where a notification leads: the professional's side of a booking or job for the kinds sent
// only to them, the poster's side of a job for those sent only to the poster (kinds sent to
// both sides lead nowhere but the booking, which both sides open).
const PRO_BOOKING_KINDS = new Set(['booking_requested']);
const PRO_JOB_KINDS = new Set(['job_offer']);
const POSTER_JOB_KINDS = new Set(['job_application', 'job_offer_accepted', 'job_offer_declined', 'job_filled', 'attendance_disputed']);

function target(n) {
  if (n.booking_id) return [`${PRO_BOOKING_KINDS.has(n.kind) ? '/pro/bookings' : '/bookings'}/${n.booking_id}`, 'inbox.open_booking'];
  if (n.complaint_id) return [`/complaints/${n.complaint_id}`, 'inbox.open_complaint'];
  if (n.job_id && PRO_JOB_KINDS.has(n.kind)) return [`/work/jobs/${n.job_id}`, 'inbox.open_job'];
  if (n.job_id && POSTER_JOB_KINDS.has(n.kind)) return [`/jobs/${n.job_id}`, 'inbox.open_job'];
  if (n.kind === 'verification_decided' || n.kind === 'suspended' || n.kind === 'banned') return ['/pro', 'inbox.open_pro'];
  return null;
}

function PreferencesForm({ preferences }) {
  const form = useForm({ language: preferences?.language || 'hi', sms: preferences?.sms === false ? 'no' : 'yes' });
  const [saved, setSaved] = useState(false);
  const save = form.submit(async ({ language, sms }) => {
    setSaved(false);
    const answer = await api.setPreferences({ language, sms: sms === 'yes' });
    setSaved(true);
    api.me().then(setMe, () => {});
    return answer;
  });
  const change = (name) => (value) => {
    setSaved(false);
    form.setValue(name, value);
  };
  return html`
    <${ErrorSummary} errors=${form.summary} />
    ${saved && html`<${Notice} kind="success" role="status" title=${t('inbox.saved')} />`}
    <form onSubmit=${save} novalidate>
      <${Choices} id="language" legend=${t('inbox.language_legend')} hint=${t('inbox.language_hint')} error=${form.errors.language}
        options=${[{ value: 'hi', label: t('language.switch_to_hi') }, { value: 'en', label: t('language.switch_to_en') }]} value=${form.values.language} onChange=${change('language')} small />
      <${Choices} id="sms" legend=${t('inbox.sms_legend')} hint=${t('inbox.sms_hint')} error=${form.errors.sms}
        options=${[{ value: 'yes', label: t('inbox.sms_yes') }, { value: 'no', label: t('inbox.sms_no') }]} value=${form.values.sms} onChange=${change('sms')} small />
      <${Button} variant="secondary" busy=${form.busy}>${t('inbox.save')}<//>
    </form>
  `;
}

export function Inbox() {
  const pages = usePages((cursor) => api.notifications({ cursor, limit: PAGE_SIZE }), (page) => page.notifications, []);
  const [seenBefore] = useState(lastSeen);
  const { data: me, error: meError } = useLoad(api.me, []);
  useEffect(() => {
    if (pages.items?.length) markSeen(pages.items[0].at);
  }, [pages.items]);
  return html`
    <${Page} title=${t('inbox.title')}>
      <${PagedList} pages=${pages} empty=${t('inbox.empty')} render=${(n) => {
        const link = target(n);
        const fresh = n.at > seenBefore;
        return html`
          <li class=${`card${fresh ? ' card--new' : ''}`} key=${n.id}>
            <p class="card__title">${fresh && html`<strong class="tag tag--blue">${t('inbox.new')}</strong> `}${n.title}</p>
            <p>${n.body}</p>
            <p class="card__meta"><span>${when(n.at)}</span>${link && html`<${Link} to=${link[0]}>${t(link[1])}<//>`}</p>
          </li>`;
      }} />
      <h2 class="heading-m">${t('inbox.settings_title')}</h2>
      ${meError && html`<${Notice} kind="warning" role="alert">${api.errorText(meError)}<//>`}
      ${!me && !meError && html`<${Loading} />`}
      ${me && html`<${PreferencesForm} preferences=${me.preferences} />`}
    <//>
  `;
}
