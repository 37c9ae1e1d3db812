// One way to send a request: retried with backoff when the answer says it is safe to (503: a
// dependency failed and nothing was written; 429: throttled), or when the network dropped it and
// the request can be repeated without doing twice what it does.

export const RETRY_STATUSES = new Set([429, 503]);
export const MAX_ATTEMPTS = 4;

const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Backoff before attempt `n` (1-based retries): 400 ms, 1.2 s, 3.6 s, with jitter, or Retry-After. */
export function backoffMs(retry, retryAfter) {
  const seconds = Number(retryAfter);
  if (retryAfter && Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 10) * 1000;
  const base = 400 * 3 ** (retry - 1);
  return base / 2 + Math.random() * base;
}

/**
 * `fetch(url, init)` with retries. `repeatable`: the request may be sent again after a network
 * failure (GET, PUT, a POST carrying an Idempotency-Key). Returns the last Response; throws
 * `NetworkError` when no answer came at all.
 */
export async function fetchWithRetry(url, init, { repeatable, fetchImpl = fetch, sleep = defaultSleep } = {}) {
  for (let attempt = 1; ; attempt += 1) {
    let response;
    try {
      response = await fetchImpl(url, init);
    } catch (cause) {
      if (!repeatable || attempt >= MAX_ATTEMPTS) throw new NetworkError(cause);
      await sleep(backoffMs(attempt));
      continue;
    }
    if (!RETRY_STATUSES.has(response.status) || attempt >= MAX_ATTEMPTS) return response;
    await sleep(backoffMs(attempt, response.headers.get('Retry-After')));
  }
}

export class NetworkError extends Error {
  constructor(cause) {
    super('network unreachable');
    this.name = 'NetworkError';
    this.code = 'network';
    this.cause = cause;
  }
}
