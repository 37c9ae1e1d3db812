// Who is signed in: the Cognito tokens (kept for this browser tab only: phones are often shared)
// and what GET /me says about the account (roles, professional_id, agency_id).
import * as cognito from './cognito.js';
import { createStore } from './store.js';

const STORAGE_KEY = 'sevamitra.session';
const REFRESH_MARGIN_MS = 60_000;

function restore() {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY)) || null;
  } catch {
    return null;
  }
}

/** {username, idToken, refreshToken, expiresAt, me} or null. */
export const session = createStore(restore());

function save(value) {
  try {
    if (value) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (private mode): the session lasts while the page is open.
  }
  session.set(value);
}

function expiryOf(idToken) {
  try {
    const payload = idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)).exp * 1000;
  } catch {
    return Date.now() + 5 * 60_000;
  }
}

function fromResult(result, username, previous = {}) {
  return {
    ...previous,
    username,
    idToken: result.IdToken,
    refreshToken: result.RefreshToken || previous.refreshToken,
    expiresAt: expiryOf(result.IdToken),
  };
}

export async function signIn(username, password) {
  const result = await cognito.signIn(username, password);
  save(fromResult(result, username));
}

let refreshing = null;

/** One refresh of `current` at a time, shared by every caller; a failed refresh signs out. */
function refreshed(current) {
  if (!refreshing) {
    refreshing = cognito
      .refresh(current.refreshToken)
      .then((result) => save(fromResult(result, current.username, current)))
      .catch(() => save(null))
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

/** The ID token, refreshed first when it is about to expire; null when signed out. */
export async function currentToken() {
  const current = session.get();
  if (!current) return null;
  if (current.expiresAt - Date.now() > REFRESH_MARGIN_MS) return current.idToken;
  await refreshed(current);
  return session.get()?.idToken ?? null;
}

/**
 * After the API answered 401 to `rejected` (the ID token sent, or null): a token worth one more
 * try, or null. That is the one signed in meanwhile (a request sent before sign-in finished must
 * not sign the new session out), or a refreshed one; when the refresh fails the person is signed
 * out (the refresh token is no good either).
 */
export async function tokenAfterRejection(rejected) {
  const current = session.get();
  if (!current) return null;
  if (current.idToken !== rejected) return current.idToken;
  await refreshed(current);
  const now = session.get();
  return now && now.idToken !== rejected ? now.idToken : null;
}

/** Record what GET /me said about this account. */
export function setMe(me) {
  const current = session.get();
  if (current) save({ ...current, me });
}

export function signedOut() {
  save(null);
}

export const isOfficer = (me) => Boolean(me?.roles?.includes('officers'));
export const isAppellate = (me) => Boolean(me?.roles?.includes('appellate'));
export const isEmployer = (me) => Boolean(me?.roles?.includes('employers'));
