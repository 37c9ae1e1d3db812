// The client's retries: what is retried (503, 429, a dropped connection when repeatable), how
// often, with what waits, and what is never sent twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffMs, fetchWithRetry, MAX_ATTEMPTS, NetworkError } from '../src/http.js';

function answers(...steps) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push(init);
    const step = steps[Math.min(calls.length - 1, steps.length - 1)];
    if (step instanceof Error) throw step;
    return new Response('{}', { status: step, headers: step === 429 ? { 'Retry-After': '2' } : {} });
  };
  return { calls, fetchImpl };
}

const waits = [];
const sleep = async (ms) => waits.push(ms);

test('a 503 is retried with backoff until the answer is good', async () => {
  waits.length = 0;
  const { calls, fetchImpl } = answers(503, 503, 200);
  const response = await fetchWithRetry('/x', { method: 'POST' }, { repeatable: false, fetchImpl, sleep });
  assert.equal(response.status, 200);
  assert.equal(calls.length, 3);
  assert.equal(waits.length, 2);
  assert.ok(waits[0] >= 200 && waits[0] <= 600, `first wait ${waits[0]}`);
  assert.ok(waits[1] >= 600 && waits[1] <= 1800, `second wait ${waits[1]}`);
});

test('a 429 waits as long as Retry-After says', async () => {
  waits.length = 0;
  const { fetchImpl } = answers(429, 200);
  await fetchWithRetry('/x', {}, { repeatable: true, fetchImpl, sleep });
  assert.deepEqual(waits, [2000]);
});

test('retries stop after MAX_ATTEMPTS and the last answer is returned', async () => {
  const { calls, fetchImpl } = answers(503);
  const response = await fetchWithRetry('/x', {}, { repeatable: true, fetchImpl, sleep });
  assert.equal(response.status, 503);
  assert.equal(calls.length, MAX_ATTEMPTS);
});

test('other errors are answered at once, never retried', async () => {
  for (const status of [400, 401, 403, 404, 409, 422, 500]) {
    const { calls, fetchImpl } = answers(status);
    const response = await fetchWithRetry('/x', {}, { repeatable: true, fetchImpl, sleep });
    assert.equal(response.status, status);
    assert.equal(calls.length, 1, `status ${status}`);
  }
});

test('a dropped connection is retried only when the request is repeatable', async () => {
  const once = answers(new TypeError('Failed to fetch'), 200);
  assert.equal((await fetchWithRetry('/x', {}, { repeatable: true, fetchImpl: once.fetchImpl, sleep })).status, 200);
  assert.equal(once.calls.length, 2);

  const never = answers(new TypeError('Failed to fetch'), 200);
  await assert.rejects(fetchWithRetry('/x', { method: 'POST' }, { repeatable: false, fetchImpl: never.fetchImpl, sleep }), NetworkError);
  assert.equal(never.calls.length, 1);
});

test('backoff grows threefold and Retry-After is capped at 10 s', () => {
  for (let i = 0; i < 50; i += 1) {
    assert.ok(backoffMs(3) >= 1800 && backoffMs(3) <= 5400);
  }
  assert.equal(backoffMs(1, '600'), 10000);
  assert.equal(backoffMs(1, '0'), 0);
});
