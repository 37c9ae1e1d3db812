// Registration as a professional: who you are (Aadhaar masked as typed), what work you do,
// where, and your qualification. The API checks Aadhaar and mobile and refuses a banned identity.
import { html } from 'htm/preact';
import { useMemo } from 'preact/hooks';
import * as api from '../api.js';
import { allServices } from '../catalog.js';
import { AadhaarField } from '../components/AadhaarField.js';
import { Button } from '../components/Button.js';
import { Choices } from '../components/Choices.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Field } from '../components/Field.js';
import { Loading } from '../components/Loading.js';
import { Page } from '../components/Page.js';
import { Select } from '../components/Select.js';
import { ServicePicker } from '../components/ServicePicker.js';
import { districtByName } from '../data/districts.js';
import { mobileOf } from '../format.js';
import { currentPosition, round } from '../geo.js';
import { useForm, useLoad } from '../hooks.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { setMe } from '../session.js';
import { rememberWorker } from '../workers.js';
import { districtOptions } from './ChooseLocation.js';

export const QUALIFICATIONS = ['none', 'iti', 'diploma', 'degree', 'certificate'];

/** onBehalf: an approved agency's member (or an officer) registers a worker who has no smartphone. */
export function ProRegister({ onBehalf = false }) {
  const { data: services } = useLoad(allServices, []);
  const key = useMemo(() => api.idempotencyKey(), []);
  const form = useForm({ name: '', mobile: '', aadhaar: '', services: [], district: '', where: '', qualification: '', title: '' });
  const { values, errors } = form;

  const submit = form.submit(async () => {
    const problems = {};
    if (!values.name.trim()) problems.name = 'errors.field.name';
    if (!/^[6-9]\d{9}$/.test(mobileOf(values.mobile))) problems.mobile = 'errors.field.mobile';
    if (values.aadhaar.length !== 12) problems.aadhaar = 'errors.field.aadhaar';
    if (!values.services.length) problems.services = 'pro_register.services_missing';
    const district = districtByName(values.district);
    if (!district) problems.district = 'location.district_missing';
    if (!values.where) problems.where = 'pro_register.where_missing';
    if (!values.qualification) problems.qualification = 'pro_register.qualification_missing';
    if (Object.keys(problems).length) return form.fail(problems);
    let location = { lat: district.lat, lng: district.lng };
    if (values.where === 'device') {
      try {
        const here = await currentPosition();
        location = { lat: round(here.lat), lng: round(here.lng) };
      } catch (error) {
        return form.fail({ where: `location.error_${error.reason || 'unavailable'}` });
      }
    }
    const qualification = { kind: values.qualification, ...(values.qualification !== 'none' && values.title.trim() ? { title: values.title.trim() } : {}) };
    let registered;
    try {
      registered = await api.registerProfessional(
        {
          name: values.name.trim(), mobile: mobileOf(values.mobile), aadhaar: values.aadhaar, services: values.services, location, district: district.en, qualification,
          ...(onBehalf ? { on_behalf: true } : {}),
        },
        key,
      );
    } catch (error) {
      // The API's location error is about where, which this form asks as `where`.
      if (error.fields?.location) {
        const { location: where, ...others } = error.fields;
        error.fields = { ...others, where };
      }
      throw error;
    }
    if (onBehalf) {
      rememberWorker({ id: registered.id, name: values.name.trim() });
      navigate(`/agency/professionals/${registered.id}/documents`, { replace: true });
      return;
    }
    setMe(await api.me());
    navigate('/pro/documents', { replace: true });
  });

  if (!services) return html`<${Page} title=${t('pro_register.title')}><${Loading} /><//>`;
  const whereOptions = [
    { value: 'device', label: t('pro_register.where_device'), hint: t('pro_register.where_device_hint') },
    { value: 'district', label: t('pro_register.where_district'), hint: t('pro_register.where_district_hint') },
  ];
  const qualificationOptions = QUALIFICATIONS.map((kind) => ({ value: kind, label: t(`qualification.${kind}`) }));
  return html`
    <${Page} title=${t(onBehalf ? 'agency.register_worker_title' : 'pro_register.title')}>
      <${ErrorSummary} errors=${form.summary} />
      <p>${t(onBehalf ? 'agency.register_worker_lead' : 'pro_register.lead')}</p>
      <form onSubmit=${submit} novalidate>
        <${Field} id="name" label=${t('pro_register.name_label')} hint=${t('pro_register.name_hint')} error=${errors.name}
          autocomplete="name" value=${values.name} onInput=${form.set('name')} maxlength="200" />
        <${Field} id="mobile" label=${t('account.mobile_label')} hint=${t('pro_register.mobile_hint')} error=${errors.mobile}
          type="tel" autocomplete="tel-national" inputmode="numeric" width="10" value=${values.mobile} onInput=${form.set('mobile')} />
        <${AadhaarField} id="aadhaar" label=${t('pro_register.aadhaar_label')} hint=${t('pro_register.aadhaar_hint')} error=${errors.aadhaar}
          value=${values.aadhaar} onChange=${(v) => form.setValue('aadhaar', v)} />
        <${ServicePicker} id="services" legend=${t('pro_register.services_legend')} hint=${t('pro_register.services_hint')} error=${errors.services}
          services=${services} value=${values.services} onChange=${(v) => form.setValue('services', v)} />
        <${Select} id="district" label=${t('pro_register.district_label')} error=${errors.district} value=${values.district}
          onChange=${form.set('district')} options=${districtOptions()} placeholder=${t('common.choose')} />
        <${Choices} id="where" legend=${t('pro_register.where_legend')} error=${errors.where} options=${whereOptions}
          value=${values.where} onChange=${(v) => form.setValue('where', v)} />
        <${Choices} id="qualification" legend=${t('pro_register.qualification_legend')} hint=${t('pro_register.qualification_hint')}
          error=${errors.qualification} options=${qualificationOptions} value=${values.qualification} onChange=${(v) => form.setValue('qualification', v)} />
        ${values.qualification && values.qualification !== 'none' && html`
          <${Field} id="title" label=${t('pro_register.qualification_title_label')} hint=${t('common.optional')} error=${errors.title}
            value=${values.title} onInput=${form.set('title')} maxlength="200" />`}
        <p class="hint">${t('pro_register.privacy')}</p>
        <${Button} busy=${form.busy}>${t('pro_register.button')}<//>
      </form>
    <//>
  `;
}
