// The QR code of the professional's public card: a citizen scans it to check who is at the door.
import { html } from 'htm/preact';
import qrcode from 'qrcode-generator';
import * as api from '../api.js';
import { allServices } from '../catalog.js';
import { Loading } from '../components/Loading.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { SummaryList } from '../components/SummaryList.js';
import { Tag } from '../components/Tag.js';
import { districtByName } from '../data/districts.js';
import { rating, when } from '../format.js';
import { useLoad } from '../hooks.js';
import { language, localName, t } from '../i18n.js';
import { href } from '../router.js';
import { myProfessional } from './ProHome.js';

export function cardUrl(professionalId) {
  return `${window.location.origin}${href(`/card/${professionalId}`)}`;
}

function Qr({ text, label }) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  return html`<img class="qr" src=${qr.createDataURL(6, 2)} alt=${label} width="240" height="240" />`;
}

export function ProCard() {
  const { data: pro, error } = useLoad(myProfessional, []);
  if (!pro) return html`<${Page} title=${t('card.title')}>${error ? html`<${Notice} kind="warning" role="alert">${api.errorText(error)}<//>` : html`<${Loading} />`}<//>`;
  const url = cardUrl(pro.id);
  return html`
    <${Page} title=${t('card.title')}>
      <p>${t('card.lead')}</p>
      <div class="id-card">
        <p class="id-card__name">${pro.name}</p>
        <p><${Tag} kind="professional" value=${pro.status} /></p>
        <${Qr} text=${url} label=${t('card.qr_alt', { name: pro.name })} />
        <p class="id-card__url">${url}</p>
      </div>
    <//>
  `;
}

/** What anyone sees after scanning the QR code (GET /professionals/{id}/card, no sign-in). */
export function PublicCard({ params }) {
  const { data: card, error } = useLoad(() => api.card(params.id), [params.id]);
  const { data: services } = useLoad(() => allServices().catch(() => []), []);
  if (!card) return html`<${Page} title=${t('card.public_title')}>${error ? html`<${Notice} kind="warning" role="alert">${api.errorText(error)}<//>` : html`<${Loading} />`}<//>`;
  const names = (card.services || []).map((id) => localName(services?.find((s) => s.id === id)?.name) || id);
  const stars = rating(card.rating);
  return html`
    <${Page} title=${card.name} caption=${t('card.public_title')}>
      <p class="status-line"><${Tag} kind="professional" value=${card.status} /></p>
      <${Notice} kind=${card.status === 'verified' ? 'success' : 'warning'}>
        <p>${t(card.status === 'verified' ? 'card.verified_text' : 'card.not_verified_text')}</p>
      <//>
      <${SummaryList} rows=${[
        [t('card.services'), names.length > 0 && html`<ul class="list">${names.map((n) => html`<li key=${n}>${n}</li>`)}</ul>`],
        [t('card.district'), districtByName(card.district)?.[language.get()] || card.district],
        [t('card.verified_at'), card.verified_at && when(card.verified_at)],
        [t('card.rating'), stars ? t('pros.rating', { stars }) : t('card.no_rating')],
      ]} />
    <//>
  `;
}
