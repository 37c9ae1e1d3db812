// The API's error shape as page and field messages (details[].loc -> the field).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldOf, toApiError } from '../src/apierror.js';

const messages = {
  'errors.field.mobile': 'mobile message',
  'errors.field.aadhaar': 'aadhaar message',
  'errors.field.start_code.wrong_start_code': 'wrong code message',
  'errors.field.location.out_of_service_area': 'outside UP message',
  'errors.field_invalid': 'generic field message',
  'errors.code.validation_error': 'see below',
  'errors.code.duplicate_identity': 'already registered',
  'errors.generic': 'something went wrong',
};
const catalogue = { has: (k) => k in messages, t: (k) => messages[k] ?? k };

test('loc names the top-level field, whatever its depth', () => {
  assert.equal(fieldOf(['body', 'mobile']), 'mobile');
  assert.equal(fieldOf(['body', 'location', 'lat']), 'location');
  assert.equal(fieldOf(['body', 'services', 0]), 'services');
  assert.equal(fieldOf(['query', 'lat']), 'lat');
  assert.equal(fieldOf('aadhaar'), 'aadhaar');
});

test('a 422 gives one message per field, from the catalogue', () => {
  const error = toApiError(422, {
    error: {
      code: 'validation_error',
      message: 'Request validation failed',
      details: [
        { loc: ['body', 'mobile'], msg: 'String should match pattern', type: 'string_pattern_mismatch' },
        { loc: ['body', 'aadhaar'], msg: 'invalid Aadhaar', type: 'aadhaar_checksum' },
        { loc: ['body', 'location'], msg: 'outside', type: 'out_of_service_area' },
        { loc: ['body', 'name'], msg: 'too short', type: 'string_too_short' },
      ],
    },
  }, catalogue);
  assert.equal(error.status, 422);
  assert.equal(error.message, 'see below');
  assert.equal(error.messageKey, 'errors.code.validation_error');
  // Catalogue keys, put in words when the page draws them (in the language chosen then).
  assert.deepEqual(error.fields, {
    mobile: 'errors.field.mobile',
    aadhaar: 'errors.field.aadhaar',
    location: 'errors.field.location.out_of_service_area',
    name: 'errors.field_invalid',
  });
});

test('a detail without a type is matched by the error code', () => {
  const error = toApiError(422, { error: { code: 'wrong_start_code', message: 'Wrong', details: [{ loc: ['body', 'start_code'], attempts_left: 4 }] } }, catalogue);
  assert.deepEqual(error.fields, { start_code: 'errors.field.start_code.wrong_start_code' });
});

test('the page message: the catalogue, else the API message, else a generic one', () => {
  const known = toApiError(409, { error: { code: 'duplicate_identity', message: 'x' } }, catalogue);
  assert.equal(known.message, 'already registered');
  assert.equal(known.messageKey, 'errors.code.duplicate_identity');
  const unknown = toApiError(409, { error: { code: 'not_in_catalogue', message: 'API says' } }, catalogue);
  assert.equal(unknown.message, 'API says');
  assert.equal(unknown.messageKey, null);
  const broken = toApiError(502, null, catalogue);
  assert.equal(broken.code, 'server_error');
  assert.equal(broken.message, 'something went wrong');
});
