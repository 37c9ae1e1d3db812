// Paths under the portal's base (/app/), with history: links are real links (they work in a new
// tab and without the script), navigation moves focus to the new page's heading.
import { html } from 'htm/preact';
import { createStore } from './store.js';

const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

function current() {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '/';
  return { path: path || '/', query: new URLSearchParams(window.location.search), navigated: false };
}

export const route = createStore(current());

window.addEventListener('popstate', () => route.set({ ...current(), navigated: true }));

/** The URL of a portal path ("/bookings/1" -> "/app/bookings/1"). */
export function href(path, params) {
  const search = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString() : '';
  return `${BASE}${path}${search ? `?${search}` : ''}`;
}

export function navigate(path, { params, replace = false } = {}) {
  const url = href(path, params);
  window.history[replace ? 'replaceState' : 'pushState'](null, '', url);
  route.set({ ...current(), navigated: true });
  window.scrollTo(0, 0);
}

/** `pattern` ("/bookings/:id") against `path`: the params, or null. */
export function matchPath(pattern, path) {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i += 1) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

/** A link inside the portal. */
export function Link({ to, params, children, ...rest }) {
  const onClick = (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to, { params });
  };
  return html`<a href=${href(to, params)} onClick=${onClick} ...${rest}>${children}</a>`;
}
