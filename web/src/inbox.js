// How many notifications arrived since the inbox was last opened on this device: the API keeps
// no read state, so the newest time seen is remembered here (per account) and the first page of
// GET /me/notifications is counted against it, at most every CHECK_MS and on each navigation.
import * as api from './api.js';
import { session } from './session.js';
import { createStore } from './store.js';

const KEY = 'sevamitra.inbox_seen.';
const CHECK_MS = 15_000;
export const PAGE_SIZE = 20;

/** New notifications (PAGE_SIZE means "PAGE_SIZE or more"). */
export const unread = createStore(0);

function key() {
  return KEY + (session.get()?.username || '');
}

/** The time of the newest notification the person has seen ('' before the first). */
export function lastSeen() {
  try {
    return localStorage.getItem(key()) || '';
  } catch {
    return '';
  }
}

export function markSeen(newestAt) {
  if (!newestAt || newestAt <= lastSeen()) return;
  try {
    localStorage.setItem(key(), newestAt);
  } catch {
    // Storage refused: the badge comes back on the next load.
  }
  unread.set(0);
}

let checkedAt = 0;

export async function checkInbox({ force = false } = {}) {
  if (!session.get()) {
    unread.set(0);
    return;
  }
  if (!force && Date.now() - checkedAt < CHECK_MS) return;
  checkedAt = Date.now();
  try {
    const page = await api.notifications({ limit: PAGE_SIZE });
    const seen = lastSeen();
    unread.set(page.notifications.filter((n) => n.at > seen).length);
  } catch {
    // The badge is a convenience: the inbox itself shows the error.
  }
}
