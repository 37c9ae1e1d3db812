// The citizen's start: say what you need in your own words, or pick a kind of work.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { CATEGORIES } from '../catalog.js';
import { Page } from '../components/Page.js';
import { t } from '../i18n.js';
import { Link, navigate } from '../router.js';

export function Home() {
  const [q, setQ] = useState('');
  const search = (event) => {
    event.preventDefault();
    if (q.trim()) navigate('/services', { params: { q: q.trim() } });
  };
  return html`
    <${Page} title=${t('home.title')}>
      <p class="lead">${t('home.lead')}</p>
      <form role="search" class="search" onSubmit=${search}>
        <label class="label label--m" for="q">${t('home.search_label')}</label>
        <div class="hint" id="q-hint">${t('home.search_hint')}</div>
        <div class="search__row">
          <input class="input" id="q" name="q" type="search" value=${q} onInput=${(e) => setQ(e.currentTarget.value)} aria-describedby="q-hint" enterkeyhint="search" />
          <button class="button button--primary search__button" type="submit">${t('home.search_button')}</button>
        </div>
      </form>
      <h2 class="heading-m">${t('home.categories_title')}</h2>
      <ul class="tiles">
        ${CATEGORIES.map(
          (category) => html`<li key=${category}><${Link} class="tile" to="/services" params=${{ category }}>${t(`category.${category}`)}<//></li>`,
        )}
      </ul>
      <h2 class="heading-m">${t('home.promise_title')}</h2>
      <ul class="list list--bullet">
        <li>${t('home.promise_verified')}</li>
        <li>${t('home.promise_fee')}</li>
        <li>${t('home.promise_near')}</li>
      </ul>
    <//>
  `;
}
