// The routes of the portal: which screen each path shows, and which need a signed-in account.
import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import * as api from './api.js';
import { Layout } from './components/Layout.js';
import { language } from './i18n.js';
import { lazy } from './lazy.js';
import { matchPath, navigate, route } from './router.js';
import { BanCheck } from './screens/BanCheck.js';
import { Booking } from './screens/Booking.js';
import { BookingList } from './screens/BookingList.js';
import { ChooseLocation } from './screens/ChooseLocation.js';
import { Complain } from './screens/Complain.js';
import { Complaint } from './screens/Complaint.js';
import { ConfirmBooking } from './screens/ConfirmBooking.js';
import { ConfirmSignUp } from './screens/ConfirmSignUp.js';
import { Home } from './screens/Home.js';
import { Inbox } from './screens/Inbox.js';
import { NotFound } from './screens/NotFound.js';
import { Officer } from './screens/Officer.js';
import { OfficerProfessional } from './screens/OfficerProfessional.js';
import { ProBooking } from './screens/ProBooking.js';
import { ProCard, PublicCard } from './screens/ProCard.js';
import { ProDocuments } from './screens/ProDocuments.js';
import { ProHome } from './screens/ProHome.js';
import { Professionals } from './screens/Professionals.js';
import { ProRegister } from './screens/ProRegister.js';
import { Rate } from './screens/Rate.js';
import { Services } from './screens/Services.js';
import { SignIn } from './screens/SignIn.js';
import { SignUp } from './screens/SignUp.js';
import { session, setMe } from './session.js';
import { useStore } from './store.js';

const jobs = () => import('./screens/jobs.js');
const agency = () => import('./screens/agency.js');
const claim = () => import('./screens/claim.js');

const PUBLIC = false;
const SIGNED_IN = true;

// [path, screen, needs sign-in]
export const ROUTES = [
  ['/', Home, PUBLIC],
  ['/services', Services, PUBLIC],
  ['/sign-in', SignIn, PUBLIC],
  ['/sign-up', SignUp, PUBLIC],
  ['/sign-up/confirm', ConfirmSignUp, PUBLIC],
  ['/card/:id', PublicCard, PUBLIC],
  ['/book/:service', ChooseLocation, PUBLIC],
  ['/book/:service/pros', Professionals, SIGNED_IN],
  ['/book/:service/confirm', ConfirmBooking, SIGNED_IN],
  ['/bookings', () => html`<${BookingList} role="citizen" />`, SIGNED_IN],
  ['/bookings/:id', Booking, SIGNED_IN],
  ['/bookings/:id/rate', Rate, SIGNED_IN],
  ['/bookings/:id/complain', Complain, SIGNED_IN],
  ['/complaints/:id', Complaint, SIGNED_IN],
  ['/pro', ProHome, SIGNED_IN],
  ['/pro/register', ProRegister, SIGNED_IN],
  ['/pro/documents', ProDocuments, SIGNED_IN],
  ['/pro/requests', () => html`<${BookingList} role="professional" />`, SIGNED_IN],
  ['/pro/bookings/:id', ProBooking, SIGNED_IN],
  ['/pro/card', ProCard, SIGNED_IN],
  ['/officer', Officer, SIGNED_IN],
  ['/officer/professionals/:id', OfficerProfessional, SIGNED_IN],
  ['/ban-check', BanCheck, SIGNED_IN],
  ['/inbox', Inbox, SIGNED_IN],
  ['/jobs', lazy(jobs, 'MyJobs'), SIGNED_IN],
  ['/jobs/new', lazy(jobs, 'PostJob'), SIGNED_IN],
  ['/jobs/:id', lazy(jobs, 'PosterJob'), SIGNED_IN],
  ['/engagements/:id', lazy(jobs, 'EngagementScreen'), SIGNED_IN],
  ['/work', lazy(jobs, 'Work'), SIGNED_IN],
  ['/work/jobs/:id', lazy(jobs, 'WorkJob'), SIGNED_IN],
  ['/agency', lazy(agency, 'AgencyHome'), SIGNED_IN],
  ['/agency/register', lazy(agency, 'AgencyRegisterWorker'), SIGNED_IN],
  ['/agency/professionals/:id', lazy(agency, 'AgencyWorker'), SIGNED_IN],
  ['/agency/professionals/:id/documents', lazy(agency, 'AgencyWorkerDocuments'), SIGNED_IN],
  ['/pro/claim', lazy(claim, 'ClaimAccount'), SIGNED_IN],
];

function resolve(path) {
  for (const [pattern, screen, signedIn] of ROUTES) {
    const params = matchPath(pattern, path);
    if (params) return { screen, params, signedIn };
  }
  return { screen: NotFound, params: {}, signedIn: false };
}

export function App() {
  const { path, query } = useStore(route);
  const current = useStore(session);
  const lang = useStore(language);
  const { screen: Screen, params, signedIn } = resolve(path);
  const blocked = signedIn && !current;

  useEffect(() => {
    if (blocked) {
      const next = `${path}${query.toString() ? `?${query}` : ''}`;
      navigate('/sign-in', { params: { next }, replace: true });
    }
  }, [blocked, path]);

  useEffect(() => {
    if (current && !current.me) api.me().then(setMe, () => {});
  }, [current?.idToken]);

  return html`<${Layout} lang=${lang}>${blocked ? null : html`<${Screen} key=${path} params=${params} query=${query} />`}<//>`;
}
