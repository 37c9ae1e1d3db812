// Every page: a skip link, the header (service name, language switch, account), the page in
// <main>, and a footer. Works from 320 px up.
import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { language, setLanguage, t } from '../i18n.js';
import { checkInbox, PAGE_SIZE, unread } from '../inbox.js';
import { Link, navigate, route } from '../router.js';
import { isEmployer, isOfficer, session, signedOut } from '../session.js';
import { useStore } from '../store.js';

function LanguageSwitch() {
  const lang = useStore(language);
  const other = lang === 'hi' ? 'en' : 'hi';
  return html`
    <button class="header__link header__button" type="button" lang=${other} onClick=${() => setLanguage(other)}>
      ${t(`language.switch_to_${other}`)}
    </button>
  `;
}

/** The inbox link, with how many notifications are new since it was last opened. */
function InboxLink() {
  const count = useStore(unread);
  const where = useStore(route);
  const signedIn = useStore(session);
  useEffect(() => {
    checkInbox({ force: where.path === '/inbox' });
  }, [where.path, signedIn?.username]);
  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && checkInbox();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);
  const shown = count >= PAGE_SIZE ? `${PAGE_SIZE}+` : String(count);
  return html`<${Link} class="nav__link" to="/inbox">${t('nav.inbox')}${count > 0 && html` <span class="badge">${t('nav.inbox_new', { n: shown })}</span>`}<//>`;
}

function Navigation() {
  const current = useStore(session);
  const me = current?.me;
  const links = [['/', 'nav.find_service']];
  if (current) links.push(['/bookings', 'nav.my_bookings'], ['/pro', 'nav.professional'], ['/inbox', null]);
  if (isOfficer(me)) links.push(['/officer', 'nav.officer']);
  if (isOfficer(me) || isEmployer(me)) links.push(['/ban-check', 'nav.ban_check']);
  if (isEmployer(me)) links.push(['/jobs', 'nav.jobs']);
  if (me?.agency_id) links.push(['/agency', 'nav.agency']);
  return html`
    <nav class="nav" aria-label=${t('nav.label')}>
      <ul class="nav__list">
        ${links.map(([to, key]) => html`<li key=${to}>${key ? html`<${Link} class="nav__link" to=${to}>${t(key)}<//>` : html`<${InboxLink} />`}</li>`)}
      </ul>
    </nav>
  `;
}

export function Layout({ children }) {
  const current = useStore(session);
  const signOut = () => {
    signedOut();
    navigate('/');
  };
  return html`
    <a class="skip-link" href="#main">${t('common.skip_to_content')}</a>
    <header class="header">
      <div class="width header__bar">
        <${Link} class="header__name" to="/">${t('service.name')}<//>
        <div class="header__actions">
          <${LanguageSwitch} />
          ${current
            ? html`<button class="header__link header__button" type="button" onClick=${signOut}>${t('nav.sign_out')}</button>`
            : html`<${Link} class="header__link" to="/sign-in">${t('nav.sign_in')}<//>`}
        </div>
      </div>
      <div class="width"><${Navigation} /></div>
      <div class="phase"><div class="width"><strong class="tag tag--blue">${t('service.phase')}</strong> ${t('service.phase_text')}</div></div>
    </header>
    <div class="width">
      <main class="main" id="main" tabindex="-1">${children}</main>
    </div>
    <footer class="footer">
      <div class="width">
        <p>${t('footer.department')}</p>
        <p>${t('footer.helpline')}</p>
      </div>
    </footer>
  `;
}
