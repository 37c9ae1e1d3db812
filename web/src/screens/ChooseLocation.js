// Where the work is: the phone's location, or (no map needed) the district and a landmark.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { serviceById } from '../catalog.js';
import { Button } from '../components/Button.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { Field } from '../components/Field.js';
import { Page } from '../components/Page.js';
import { Select } from '../components/Select.js';
import { DISTRICTS, districtByName } from '../data/districts.js';
import { currentPosition, round } from '../geo.js';
import { useForm, useLoad } from '../hooks.js';
import { language, localName, t } from '../i18n.js';
import { navigate } from '../router.js';

export function districtOptions() {
  const lang = language.get();
  return DISTRICTS.map((d) => ({ value: d.en, label: d[lang] })).sort((a, b) => a.label.localeCompare(b.label, lang));
}

export function ChooseLocation({ params }) {
  const { data: service } = useLoad(() => serviceById(params.service), [params.service]);
  const form = useForm({ district: '', landmark: '' });
  const [locating, setLocating] = useState(false);
  const next = (where) => navigate(`/book/${params.service}/pros`, { params: where });

  const useDevice = async () => {
    setLocating(true);
    try {
      const { lat, lng } = await currentPosition();
      next({ lat: round(lat), lng: round(lng) });
    } catch (error) {
      form.fail({ 'use-location': `location.error_${error.reason || 'unavailable'}` });
    } finally {
      setLocating(false);
    }
  };

  const submit = form.submit(({ district, landmark }) => {
    const problems = {};
    const found = districtByName(district);
    if (!found) problems.district = 'location.district_missing';
    if (!landmark.trim()) problems.landmark = 'location.landmark_missing';
    if (Object.keys(problems).length) return form.fail(problems);
    next({ lat: found.lat, lng: found.lng, district: found.en, landmark: landmark.trim() });
  });

  return html`
    <${Page} title=${t('location.title')} caption=${service ? localName(service.name) : ''}>
      <${ErrorSummary} errors=${form.summary} />
      <p>${t('location.lead')}</p>
      <div class=${`field${form.errors['use-location'] ? ' field--error' : ''}`}>
        ${form.errors['use-location'] && html`<p class="error-message" id="use-location-error">${form.errors['use-location']}</p>`}
        <${Button} id="use-location" type="button" variant="secondary" busy=${locating} onClick=${useDevice}>${t('location.use_device')}<//>
      </div>
      <p class="divider">${t('common.or')}</p>
      <form onSubmit=${submit} novalidate>
        <h2 class="heading-m">${t('location.form_title')}</h2>
        <${Select} id="district" label=${t('location.district_label')} error=${form.errors.district} value=${form.values.district}
          onChange=${form.set('district')} options=${districtOptions()} placeholder=${t('common.choose')} />
        <${Field} id="landmark" label=${t('location.landmark_label')} hint=${t('location.landmark_hint')} error=${form.errors.landmark}
          autocomplete="street-address" value=${form.values.landmark} onInput=${form.set('landmark')} maxlength="300" />
        <${Button}>${t('common.continue')}<//>
      </form>
    <//>
  `;
}
