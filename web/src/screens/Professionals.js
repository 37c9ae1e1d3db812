// Verified professionals within 3 km who are free now: name, rating, fee, how far (a band).
import { html } from 'htm/preact';
import * as api from '../api.js';
import { serviceById } from '../catalog.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { distanceBand, duration, money, rating } from '../format.js';
import { useLoad } from '../hooks.js';
import { localName, t } from '../i18n.js';
import { Link } from '../router.js';

export function Professionals({ params, query }) {
  const where = Object.fromEntries(['lat', 'lng', 'district', 'landmark'].map((k) => [k, query.get(k) || undefined]));
  const { data: service } = useLoad(() => serviceById(params.service), [params.service]);
  const { data, error, loading } = useLoad(
    () => api.match({ service: params.service, lat: where.lat, lng: where.lng }),
    [params.service, where.lat, where.lng],
  );
  const confirm = (pro) => ({ ...where, pro: pro.professional_id, name: pro.name });
  const results = data?.results || [];
  return html`
    <${Page} title=${t('pros.title')} caption=${service ? localName(service.name) : ''}>
      <p><${Link} class="back-link" to=${`/book/${params.service}`}>${t('pros.change_location')}<//></p>
      ${loading && !data && html`<${Loading} />`}
      ${error && html`<${Notice} kind="warning" role="alert">${api.errorText(error)}<//>`}
      ${data && results.length === 0 && html`
        <${Notice} title=${t('pros.none_title')}>
          <p>${t('pros.none_text')}</p>
          ${data.nearest_beyond_m && html`<p>${t('pros.nearest_beyond', { km: Math.round(data.nearest_beyond_m / 1000) })}</p>`}
        <//>`}
      ${results.length > 0 && html`
        <p>${t('pros.lead', { count: results.length })}</p>
        <ul class="cards">
          ${results.map(
            (pro) => html`
              <li class="card" key=${pro.professional_id}>
                <h2 class="card__title">${pro.name}</h2>
                <p class="card__meta">
                  <span>${rating(pro.rating) ? t('pros.rating', { stars: rating(pro.rating) }) : t('pros.new')}</span>
                  <span>${distanceBand(pro.distance_m)}</span>
                </p>
                <p class="card__meta">${t('services.fee_and_time', { fee: money(pro.fee_paise), time: duration(pro.duration_minutes) })}</p>
                <${Link} class="button button--primary" to=${`/book/${params.service}/confirm`} params=${confirm(pro)}>
                  ${t('pros.choose_named', { name: pro.name })}
                <//>
              </li>
            `,
          )}
        </ul>
      `}
    <//>
  `;
}
