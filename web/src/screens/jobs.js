// Jobs (wage, piece-rate, part-time, full-time and contract work): the poster's side (post a job at
// no less than Uttar Pradesh's minimum wage, read the applications, make offers, record
// attendance, read the month's statement) and the professional's (jobs within 3 km, apply,
// accept or decline an offer, dispute a day). Loaded only when one of these screens is opened.
import { html } from 'htm/preact';
import { useCallback, useState } from 'preact/hooks';
import * as api from '../api.js';
import { allServices } from '../catalog.js';
import { Button } from '../components/Button.js';
import { Choices } from '../components/Choices.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Field, TextArea } from '../components/Field.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { PagedList } from '../components/PagedList.js';
import { Page } from '../components/Page.js';
import { Select } from '../components/Select.js';
import { SummaryList } from '../components/SummaryList.js';
import { districtByName } from '../data/districts.js';
import { asciiDigits, distance, money, paiseOf, rating } from '../format.js';
import { currentPosition, round } from '../geo.js';
import { PAGE, useForm, useLoad, usePages } from '../hooks.js';
import { language, localName, t } from '../i18n.js';
import { Link, navigate } from '../router.js';
import { districtOptions } from './ChooseLocation.js';
import { myProfessional } from './ProHome.js';

const KINDS = ['daily_wage', 'piece_rate', 'part_time', 'full_time', 'contract'];
// The unit a kind of work is paid in (the form asks for the amount only).
const PER_OF_KIND = { daily_wage: 'day', piece_rate: 'piece', part_time: 'month', full_time: 'month', contract: 'month' };

// --- small pieces ---------------------------------------------------------------------------------

function JobTag({ kind, value }) {
  const tone = { open: 'blue', filled: 'green', closed: 'grey', applied: 'blue', offered: 'purple', engaged: 'green', declined: 'grey',
    pending: 'purple', accepted: 'green', lapsed: 'grey', active: 'green', ended: 'grey' }[value] || 'grey';
  return html`<strong class=${`tag tag--${tone}`}>${t(`jobs.status.${kind}.${value}`)}</strong>`;
}

/** "₹14,000 प्रति महीना". */
export function wageText(wage) {
  return t('jobs.wage_per', { amount: money(wage.paise), per: t(`jobs.per.${wage.per}`) });
}

/** A calendar day (YYYY-MM-DD) as people write it: "1 दिसंबर 2026". */
export function dayText(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  const locale = language.get() === 'hi' ? 'hi-IN-u-nu-latn' : 'en-IN';
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

/** Today in India, as YYYY-MM-DD (and the month as YYYY-MM). */
function todayInIndia() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata', dateStyle: 'short' }).format(new Date());
}

function useServices() {
  return useLoad(() => allServices().catch(() => []), []).data || [];
}

function serviceName(services, serviceId) {
  return localName(services.find((s) => s.id === serviceId)?.name) || serviceId;
}

function districtName(code) {
  return districtByName(code)?.[language.get()] || code;
}

function Failed({ title, error }) {
  return html`<${Page} title=${title}>${error ? html`<${Notice} kind="warning" role="alert">${api.errorText(error)}<//>` : html`<${Loading} />`}<//>`;
}

function jobRows(job, services) {
  return [
    [t('jobs.service'), serviceName(services, job.service_id)],
    [t('jobs.kind_label'), t(`jobs.kind.${job.kind}`)],
    [t('jobs.wage'), wageText(job.wage)],
    [t('jobs.pieces_per_day'), job.pieces_per_day],
    [t('jobs.hours'), t('jobs.hours_value', { n: job.hours_per_day })],
    [t('jobs.starts_on'), dayText(job.starts_on)],
    [t('jobs.ends_on'), dayText(job.ends_on)],
    [t('jobs.district'), districtName(job.district)],
  ];
}

// --- the poster: their jobs, a new post ----------------------------------------------------------

export function MyJobs() {
  const services = useServices();
  const jobs = usePages((cursor) => api.myJobs({ cursor }), (page) => page.jobs, []);
  const hired = usePages((cursor) => api.engagements({ role: 'employer', cursor }), (page) => page.engagements, []);
  return html`
    <${Page} title=${t('jobs.mine_title')}>
      <p>${t('jobs.mine_lead')}</p>
      <${Link} class="button button--primary" to="/jobs/new">${t('jobs.post_link')}<//>
      <h2 class="heading-m">${t('jobs.posted_title')}</h2>
      <${PagedList} pages=${jobs} empty=${t('jobs.none_posted')} render=${(job) => html`
        <li class="card" key=${job.id}>
          <p class="card__title"><${Link} to=${`/jobs/${job.id}`}>${job.title}<//></p>
          <p class="card__meta"><${JobTag} kind="job" value=${job.status} /> <span>${serviceName(services, job.service_id)}</span>
            <span>${wageText(job.wage)}</span> <span>${t('jobs.filled_of', { filled: job.filled, positions: job.positions })}</span></p>
        </li>`} />
      <h2 class="heading-m">${t('jobs.hired_title')}</h2>
      <${EngagementList} pages=${hired} />
    <//>
  `;
}

function EngagementList({ pages }) {
  return html`<${PagedList} pages=${pages} empty=${t('jobs.none_hired')} render=${(e) => html`
    <li class="card" key=${e.id}>
      <p class="card__title"><${Link} to=${`/engagements/${e.id}`}>${e.title}<//></p>
      <p class="card__meta"><${JobTag} kind="engagement" value=${e.status} /> <span>${wageText(e.wage)}</span> <span>${t('jobs.from_day', { day: dayText(e.starts_on) })}</span></p>
    </li>`} />`;
}

/** The minimum-wage refusal as a message beside the wage: the floor from `details`. */
function belowMinimumWage(error) {
  const floor = error.details?.[0] || {};
  return {
    wage: {
      key: 'jobs.below_minimum_wage',
      params: {
        floor: money(floor.floor_paise),
        per: { key: `jobs.per.${floor.per}` },
        skill: { key: `jobs.skill.${floor.skill}` },
        daily: money(floor.daily_floor_paise),
      },
    },
    [PAGE]: 'errors.code.below_minimum_wage',
  };
}

export function PostJob() {
  const services = useServices();
  const form = useForm({
    title: '', service_id: '', kind: '', positions: '1', wage: '', pieces_per_day: '', hours_per_day: '',
    starts_on: todayInIndia(), ends_on: '', district: '', where: '',
  });
  const [key] = useState(api.idempotencyKey);
  const { values, errors } = form;
  const submit = form.submit(async (v) => {
    const problems = {};
    if (!v.title.trim()) problems.title = 'errors.field.title';
    if (!v.service_id) problems.service_id = 'errors.field.service_id';
    if (!v.kind) problems.kind = 'errors.field.kind';
    const positions = Number(asciiDigits(v.positions));
    if (!Number.isInteger(positions) || positions < 1) problems.positions = 'errors.field.positions';
    const paise = paiseOf(v.wage);
    if (!paise) problems.wage = 'errors.field.wage';
    const district = districtByName(v.district);
    if (!district) problems.district = 'location.district_missing';
    if (!v.where) problems.where = 'jobs.where_missing';
    if (!v.starts_on) problems.starts_on = 'errors.field.starts_on';
    if (v.kind === 'contract' && !v.ends_on) problems.ends_on = 'errors.field.ends_on';
    if (v.kind === 'piece_rate' && !Number(asciiDigits(v.pieces_per_day))) problems.pieces_per_day = 'errors.field.pieces_per_day';
    if (v.kind === 'part_time' && !Number(asciiDigits(v.hours_per_day))) problems.hours_per_day = 'errors.field.hours_per_day';
    if (Object.keys(problems).length) return form.fail(problems);
    let site = { lat: district.lat, lng: district.lng };
    if (v.where === 'device') {
      try {
        const here = await currentPosition();
        site = { lat: round(here.lat), lng: round(here.lng) };
      } catch (error) {
        return form.fail({ where: `location.error_${error.reason || 'unavailable'}` });
      }
    }
    const body = {
      title: v.title.trim(), service_id: v.service_id, kind: v.kind, positions,
      wage: { paise, per: PER_OF_KIND[v.kind] }, starts_on: v.starts_on, site, district: district.en,
    };
    if (v.ends_on) body.ends_on = v.ends_on;
    if (v.kind === 'piece_rate') body.pieces_per_day = Number(asciiDigits(v.pieces_per_day));
    if ((v.kind === 'part_time' || v.kind === 'full_time') && v.hours_per_day) body.hours_per_day = Number(asciiDigits(v.hours_per_day));
    let posted;
    try {
      posted = await api.postJob(body, key);
    } catch (error) {
      if (error.code === 'below_minimum_wage') return form.fail(belowMinimumWage(error));
      if (error.fields?.site) {
        const { site: where, ...others } = error.fields;
        error.fields = { ...others, where };
      }
      throw error;
    }
    navigate(`/jobs/${posted.id}`, { params: { done: 'posted' }, replace: true });
  });
  const serviceOptions = services
    .map((s) => ({ value: s.id, label: localName(s.name) }))
    .sort((a, b) => a.label.localeCompare(b.label, language.get()));
  const per = values.kind ? t(`jobs.per.${PER_OF_KIND[values.kind]}`) : '';
  return html`
    <${Page} title=${t('jobs.post_title')}>
      <${ErrorSummary} errors=${form.summary} />
      <p>${t('jobs.post_lead')}</p>
      <form onSubmit=${submit} novalidate>
        <${Field} id="title" label=${t('jobs.title_label')} hint=${t('jobs.title_hint')} error=${errors.title} value=${values.title} onInput=${form.set('title')} maxlength="200" />
        <${Select} id="service_id" label=${t('jobs.service_label')} error=${errors.service_id} value=${values.service_id}
          onChange=${form.set('service_id')} options=${serviceOptions} placeholder=${t('common.choose')} />
        <${Choices} id="kind" legend=${t('jobs.kind_legend')} error=${errors.kind} value=${values.kind} onChange=${(v) => form.setValue('kind', v)}
          options=${KINDS.map((k) => ({ value: k, label: t(`jobs.kind.${k}`), hint: t(`jobs.kind_hint.${k}`) }))} small />
        <${Field} id="positions" label=${t('jobs.positions_label')} error=${errors.positions} inputmode="numeric" width="4" value=${values.positions} onInput=${form.set('positions')} />
        <${Field} id="wage" label=${t('jobs.wage_label', { per: per || t('jobs.per.day') })} hint=${t('jobs.wage_hint')} error=${errors.wage}
          inputmode="decimal" width="10" prefix="₹" value=${values.wage} onInput=${form.set('wage')} />
        ${values.kind === 'piece_rate' && html`<${Field} id="pieces_per_day" label=${t('jobs.pieces_label')} hint=${t('jobs.pieces_hint')} error=${errors.pieces_per_day}
          inputmode="numeric" width="4" value=${values.pieces_per_day} onInput=${form.set('pieces_per_day')} />`}
        ${(values.kind === 'part_time' || values.kind === 'full_time') && html`<${Field} id="hours_per_day" label=${t('jobs.hours_label')}
          hint=${t(`jobs.hours_hint.${values.kind}`)} error=${errors.hours_per_day} inputmode="numeric" width="2" value=${values.hours_per_day} onInput=${form.set('hours_per_day')} />`}
        <${Field} id="starts_on" type="date" label=${t('jobs.starts_label')} error=${errors.starts_on} value=${values.starts_on} onInput=${form.set('starts_on')} />
        <${Field} id="ends_on" type="date" label=${t('jobs.ends_label')} hint=${t(values.kind === 'contract' ? 'jobs.ends_hint_contract' : 'jobs.ends_hint')} error=${errors.ends_on}
          value=${values.ends_on} onInput=${form.set('ends_on')} />
        <${Select} id="district" label=${t('jobs.district_label')} error=${errors.district} value=${values.district}
          onChange=${form.set('district')} options=${districtOptions()} placeholder=${t('common.choose')} />
        <${Choices} id="where" legend=${t('jobs.where_legend')} error=${errors.where} value=${values.where} onChange=${(v) => form.setValue('where', v)}
          options=${[{ value: 'device', label: t('jobs.where_device'), hint: t('jobs.where_device_hint') }, { value: 'district', label: t('jobs.where_district') }]} />
        <${Button} busy=${form.busy}>${t('jobs.post_button')}<//>
      </form>
    <//>
  `;
}

// --- the poster: one job, its applications and offers ------------------------------------------

function Applicant({ application, job, onDone }) {
  const form = useForm({});
  const [key] = useState(api.idempotencyKey);
  const offer = form.submit(async () => {
    await api.makeOffer(job.id, application.professional_id, key);
    await onDone();
  });
  const stars = rating(application.rating);
  return html`
    <li class="card" key=${application.professional_id}>
      <p class="card__title">${application.name}</p>
      <p class="card__meta"><${JobTag} kind="application" value=${application.status} />
        <span>${stars ? t('pros.rating', { stars }) : t('pros.new')}</span>
        <span>${t('jobs.away', { distance: distance(application.distance_m) })}</span></p>
      ${form.summary.length > 0 && html`<p class="error-message" role="alert">${form.summary[0].message}</p>`}
      ${application.status === 'applied' && job.status === 'open' && html`
        <form onSubmit=${offer}><${Button} variant="secondary" busy=${form.busy}>${t('jobs.offer_named', { name: application.name })}<//></form>`}
    </li>
  `;
}

export function PosterJob({ params, query }) {
  const services = useServices();
  const { data: job, error, reload } = useLoad(() => api.job(params.id), [params.id]);
  const apps = usePages((cursor) => api.applications(params.id, { cursor }), (page) => page.applications, [params.id]);
  const hired = usePages((cursor) => api.engagements({ role: 'employer', cursor, limit: 100 }), (page) => page.engagements, [params.id]);
  const refresh = useCallback(async () => {
    await Promise.all([reload(), apps.reload()]);
  }, [reload, apps.reload]);
  if (!job) return html`<${Failed} title=${t('jobs.job_title')} error=${error} />`;
  const mine = { ...hired, items: hired.items && hired.items.filter((e) => e.job_id === job.id) };
  return html`
    <${Page} title=${job.title} caption=${t('jobs.job_title')}>
      ${query.get('done') === 'posted' && html`<${Notice} kind="success" role="status" title=${t('jobs.posted')} />`}
      <p class="status-line">${t('booking.status')}: <${JobTag} kind="job" value=${job.status} /> ${t('jobs.filled_of', { filled: job.filled, positions: job.positions })}</p>
      <${SummaryList} rows=${[
        ...jobRows(job, services),
        [t('jobs.floor'), job.floor && html`${wageText({ paise: job.floor.floor_paise, per: job.floor.per })} (${t(`jobs.skill.${job.floor.skill}`)})`],
      ]} />
      <h2 class="heading-m">${t('jobs.applications_title')}</h2>
      <${PagedList} pages=${apps} empty=${t('jobs.none_applied')} render=${(a) => html`<${Applicant} key=${a.professional_id} application=${a} job=${job} onDone=${refresh} />`} />
      <h2 class="heading-m">${t('jobs.hired_title')}</h2>
      <${EngagementList} pages=${mine} />
    <//>
  `;
}

// --- an engagement: attendance, the month's statement, disputes -----------------------------------

function AttendanceForm({ engagement, onDone }) {
  const form = useForm({ date: todayInIndia(), present: 'yes', pieces: '' });
  const [saved, setSaved] = useState(null);
  const submit = form.submit(async (v) => {
    setSaved(null);
    const body = { date: v.date, present: v.present === 'yes' };
    if (engagement.kind === 'piece_rate' && v.present === 'yes') {
      const pieces = Number(asciiDigits(v.pieces));
      if (!Number.isInteger(pieces) || v.pieces === '') return form.fail({ pieces: 'errors.field.pieces' });
      body.pieces = pieces;
    }
    await api.recordAttendance(engagement.id, body);
    setSaved(v.date);
    await onDone(v.date.slice(0, 7));
  });
  return html`
    <${ErrorSummary} errors=${form.summary} />
    ${saved && html`<${Notice} kind="success" role="status" title=${t('jobs.attendance_saved', { day: dayText(saved) })} />`}
    <form onSubmit=${submit} novalidate>
      <${Field} id="date" type="date" label=${t('jobs.attendance_date')} error=${form.errors.date} value=${form.values.date} onInput=${form.set('date')} />
      <${Choices} id="present" legend=${t('jobs.attendance_legend')} error=${form.errors.present} value=${form.values.present}
        onChange=${(v) => form.setValue('present', v)} options=${[{ value: 'yes', label: t('jobs.present') }, { value: 'no', label: t('jobs.absent') }]} small />
      ${engagement.kind === 'piece_rate' && html`<${Field} id="pieces" label=${t('jobs.pieces_made')} error=${form.errors.pieces} inputmode="numeric" width="4"
        value=${form.values.pieces} onInput=${form.set('pieces')} />`}
      <${Button} busy=${form.busy}>${t('jobs.attendance_button')}<//>
    </form>
  `;
}

function DisputeForm({ engagement, days, onDone }) {
  const open = days.filter((d) => !d.dispute);
  const form = useForm({ date: '', reason: '', present: '' });
  const submit = form.submit(async (v) => {
    const problems = {};
    if (!v.date) problems.dispute_date = 'errors.field.dispute_date';
    if (!v.reason.trim()) problems.reason = 'errors.field.reason';
    if (Object.keys(problems).length) return form.fail(problems);
    const body = { reason: v.reason.trim() };
    if (v.present) body.present = v.present === 'yes';
    try {
      await api.disputeAttendance(engagement.id, v.date, body);
    } catch (error) {
      if (error.fields?.date) error.fields = { ...error.fields, dispute_date: error.fields.date };
      throw error;
    }
    form.setValue('reason', '');
    await onDone();
  });
  if (open.length === 0) return null;
  return html`
    <h2 class="heading-m">${t('jobs.dispute_title')}</h2>
    <p>${t('jobs.dispute_lead')}</p>
    <${ErrorSummary} errors=${form.summary} />
    <form onSubmit=${submit} novalidate>
      <${Select} id="dispute_date" label=${t('jobs.dispute_day')} error=${form.errors.dispute_date} value=${form.values.date}
        onChange=${form.set('date')} placeholder=${t('common.choose')}
        options=${open.map((d) => ({ value: d.date, label: `${dayText(d.date)}: ${t(d.present ? 'jobs.present' : 'jobs.absent')}` }))} />
      <${Choices} id="dispute_present" legend=${t('jobs.dispute_present_legend')} value=${form.values.present} onChange=${(v) => form.setValue('present', v)}
        options=${[{ value: 'yes', label: t('jobs.i_was_present') }, { value: 'no', label: t('jobs.i_was_absent') }]} small />
      <${TextArea} id="reason" label=${t('jobs.dispute_reason')} hint=${t('jobs.dispute_reason_hint')} error=${form.errors.reason}
        value=${form.values.reason} onInput=${form.set('reason')} maxlength="1000" />
      <${Button} busy=${form.busy}>${t('jobs.dispute_button')}<//>
    </form>
  `;
}

function Statement({ engagement, month, setMonth, isWorker }) {
  const { data, error, reload } = useLoad(() => api.statement(engagement.id, month), [engagement.id, month]);
  return html`
    <h2 class="heading-m" id="statement-title">${t('jobs.statement_title')}</h2>
    <${Field} id="month" type="month" label=${t('jobs.month_label')} value=${month} onInput=${(e) => e.currentTarget.value && setMonth(e.currentTarget.value)} />
    ${error && html`<${Notice} kind="warning" role="alert">${api.errorText(error)}<//>`}
    ${!data && !error && html`<${Loading} />`}
    ${data && html`
      <div role="region" aria-labelledby="statement-title">
        <${SummaryList} rows=${[
          [t('jobs.days_present'), String(data.days_present)],
          [t('jobs.days_absent'), String(data.days_absent)],
          [t('jobs.pieces_total'), engagement.kind === 'piece_rate' && String(data.pieces)],
          [t('jobs.disputed_days'), String(data.disputed_days)],
          [t('jobs.wage_due'), money(data.wage_due_paise)],
        ]} />
        ${data.days.length > 0 && html`
          <table class="table">
            <caption class="visually-hidden">${t('jobs.days_caption')}</caption>
            <thead><tr><th scope="col">${t('jobs.day')}</th><th scope="col">${t('jobs.attendance')}</th><th scope="col">${t('jobs.dispute')}</th></tr></thead>
            <tbody>
              ${data.days.map((d) => html`<tr key=${d.date}>
                <th scope="row">${dayText(d.date)}</th>
                <td>${t(d.present ? 'jobs.present' : 'jobs.absent')}${d.pieces != null ? ` · ${t('jobs.pieces_n', { n: d.pieces })}` : ''}</td>
                <td>${d.dispute ? t('jobs.disputed', { what: t(d.dispute.present === false ? 'jobs.absent' : 'jobs.present') }) : ''}</td>
              </tr>`)}
            </tbody>
          </table>`}
        ${isWorker && html`<${DisputeForm} engagement=${engagement} days=${data.days} onDone=${reload} />`}
      </div>`}
  `;
}

export function EngagementScreen({ params }) {
  const services = useServices();
  const { data, error } = useLoad(async () => {
    const [engagement, me] = await Promise.all([api.engagement(params.id), api.me()]);
    return { engagement, me };
  }, [params.id]);
  const [month, setMonth] = useState(todayInIndia().slice(0, 7));
  const [version, setVersion] = useState(0);
  if (!data) return html`<${Failed} title=${t('jobs.engagement_title')} error=${error} />`;
  const { engagement, me } = data;
  const isWorker = me.professional_id === engagement.professional_id;
  const recorded = async (recordedMonth) => {
    setMonth(recordedMonth);
    setVersion((n) => n + 1);
  };
  return html`
    <${Page} title=${engagement.title} caption=${t('jobs.engagement_title')}>
      <p class="status-line">${t('booking.status')}: <${JobTag} kind="engagement" value=${engagement.status} /></p>
      <${SummaryList} rows=${jobRows(engagement, services)} />
      ${!isWorker && engagement.status === 'active' && html`
        <h2 class="heading-m">${t('jobs.attendance_title')}</h2>
        <${AttendanceForm} engagement=${engagement} onDone=${recorded} />`}
      <${Statement} key=${`${month}-${version}`} engagement=${engagement} month=${month} setMonth=${setMonth} isWorker=${isWorker} />
    <//>
  `;
}

// --- the professional: jobs within 3 km, one job, the offer --------------------------------------

export function Work() {
  const services = useServices();
  const { data: pro, error, loading } = useLoad(myProfessional, []);
  const verified = pro?.status === 'verified';
  const nearby = usePages(
    (cursor) => (verified ? api.findJobs({ lat: pro.location.lat, lng: pro.location.lng, cursor }) : Promise.resolve({ jobs: [] })),
    (page) => page.jobs,
    [pro?.id, verified],
  );
  const work = usePages((cursor) => api.engagements({ role: 'professional', cursor }), (page) => page.engagements, []);
  if ((loading && !pro) || error) return html`<${Failed} title=${t('jobs.work_title')} error=${error} />`;
  return html`
    <${Page} title=${t('jobs.work_title')}>
      <p>${t('jobs.work_lead')}</p>
      ${!verified && html`<${Notice} kind="info"><p>${t('jobs.verified_only')}</p><${Link} to="/pro">${t('nav.professional')}<//><//>`}
      ${verified && html`
        <h2 class="heading-m">${t('jobs.nearby_title')}</h2>
        <${PagedList} pages=${nearby} empty=${t('jobs.none_nearby')} render=${(job) => html`
          <li class="card" key=${job.id}>
            <p class="card__title"><${Link} to=${`/work/jobs/${job.id}`}>${job.title}<//></p>
            <p class="card__meta"><span>${serviceName(services, job.service_id)}</span> <span>${wageText(job.wage)}</span>
              <span>${t('jobs.away', { distance: distance(job.distance_m) })}</span> <span>${t(`jobs.kind.${job.kind}`)}</span></p>
          </li>`} />
        <h2 class="heading-m">${t('jobs.my_work_title')}</h2>
        <${EngagementList} pages=${work} />`}
    <//>
  `;
}

function OfferAnswer({ job, onDone }) {
  const form = useForm({});
  const offerId = job.application.offer_id;
  const accept = form.submit(async () => {
    const answer = await api.acceptOffer(offerId);
    if (answer.engagement_id) navigate(`/engagements/${answer.engagement_id}`);
    else await onDone();
  });
  const decline = form.submit(async () => {
    await api.declineOffer(offerId);
    await onDone();
  });
  return html`
    <${Notice} kind="success" title=${t('jobs.offer_received')}><p>${t('jobs.offer_text', { wage: wageText(job.wage), day: dayText(job.starts_on) })}</p><//>
    <${ErrorSummary} errors=${form.summary} />
    <div class="button-group">
      <form onSubmit=${accept}><${Button} busy=${form.busy}>${t('jobs.accept_offer')}<//></form>
      <form onSubmit=${decline}><${Button} variant="secondary" busy=${form.busy}>${t('jobs.decline_offer')}<//></form>
    </div>
  `;
}

export function WorkJob({ params }) {
  const services = useServices();
  const { data: job, error, reload } = useLoad(() => api.job(params.id), [params.id]);
  const { data: offer } = useLoad(
    () => (job?.application?.offer_id && job.application.status === 'engaged' ? api.offer(job.application.offer_id) : null),
    [job?.application?.offer_id, job?.application?.status],
  );
  const form = useForm({});
  const [key] = useState(api.idempotencyKey);
  const apply = form.submit(async () => {
    await api.applyToJob(params.id, key);
    await reload();
  });
  if (!job) return html`<${Failed} title=${t('jobs.job_title')} error=${error} />`;
  const mine = job.application;
  return html`
    <${Page} title=${job.title} caption=${t('jobs.job_title')}>
      <${ErrorSummary} errors=${form.summary} />
      <${SummaryList} rows=${[...jobRows(job, services), [t('jobs.distance'), job.distance_m != null && distance(job.distance_m)],
        [t('jobs.your_application'), mine && html`<${JobTag} kind="application" value=${mine.status} />`]]} />
      ${!mine && job.status === 'open' && html`<form onSubmit=${apply}><${Button} busy=${form.busy}>${t('jobs.apply')}<//></form>`}
      ${mine?.status === 'applied' && html`<${Notice} kind="info"><p>${t('jobs.applied_text')}</p><//>`}
      ${mine?.status === 'offered' && html`<${OfferAnswer} job=${job} onDone=${reload} />`}
      ${offer?.engagement_id && html`<p><${Link} to=${`/engagements/${offer.engagement_id}`}>${t('jobs.open_engagement')}<//></p>`}
    <//>
  `;
}
