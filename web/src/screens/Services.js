// Services matching the words typed (GET /services?q=) or one kind of work: fee and time fixed.
import { html } from 'htm/preact';
import * as api from '../api.js';
import { allServices } from '../catalog.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { duration, money } from '../format.js';
import { useLoad } from '../hooks.js';
import { localName, t } from '../i18n.js';
import { Link } from '../router.js';

export function Services({ query }) {
  const q = query.get('q') || '';
  const category = query.get('category') || '';
  const { data, error, loading } = useLoad(async () => {
    if (q) return (await api.services(q)).services;
    return (await allServices()).filter((service) => !category || service.category === category);
  }, [q, category]);
  const title = q ? t('services.title_search', { q }) : category ? t(`category.${category}`) : t('services.title_all');
  return html`
    <${Page} title=${title}>
      <p><${Link} class="back-link" to="/">${t('services.search_again')}<//></p>
      ${loading && !data && html`<${Loading} />`}
      ${error && html`<${Notice} kind="warning" role="alert">${api.errorText(error)}<//>`}
      ${data && data.length === 0 && html`<${Notice} title=${t('services.none_title')}><p>${t('services.none_text')}</p><//>`}
      ${data && data.length > 0 && html`
        <p>${t('services.choose')}</p>
        <ul class="cards">
          ${data.map(
            (service) => html`
              <li class="card" key=${service.id}>
                <h2 class="card__title"><${Link} to=${`/book/${service.id}`}>${localName(service.name)}<//></h2>
                <p class="card__meta">${t('services.fee_and_time', { fee: money(service.fee_paise), time: duration(service.duration_minutes) })}</p>
              </li>
            `,
          )}
        </ul>
        <p class="hint">${t('services.fixed_fee_note')}</p>
      `}
    <//>
  `;
}
