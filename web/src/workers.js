// The workers this account registered on their behalf, remembered on this device: the API has no
// route that lists an agency's professionals yet (GET /agencies/{id} counts them), so the agency's
// page lists those registered here and any other can be opened by its id.
import { session } from './session.js';

const KEY = 'sevamitra.workers.';

function key() {
  return KEY + (session.get()?.username || '');
}

/** [{id, name}], newest first. */
export function rememberedWorkers() {
  try {
    const list = JSON.parse(localStorage.getItem(key()) || '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

export function rememberWorker(worker) {
  const list = [worker, ...rememberedWorkers().filter((w) => w.id !== worker.id)].slice(0, 200);
  try {
    localStorage.setItem(key(), JSON.stringify(list));
  } catch {
    // Storage refused: the worker can still be opened from the registration's SMS or by id.
  }
}
