// What this tab remembers about the citizen's own bookings that the API shows only once or not
// yet: the start code (POST /bookings answers it once), the professional's name and the landmark
// typed for the address. Kept for this tab only, like the session.
const KEY = 'sevamitra.bookings';

function read() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY)) || {};
  } catch {
    return {};
  }
}

export function remember(bookingId, facts) {
  const all = read();
  all[bookingId] = { ...(all[bookingId] || {}), ...facts };
  try {
    sessionStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // Storage refused: the booking page will not show it after a reload.
  }
}

export function recall(bookingId) {
  return read()[bookingId] || {};
}
