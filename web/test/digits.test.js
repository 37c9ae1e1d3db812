// Numbers as people type them, and the Aadhaar box that masks as it is typed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aadhaarAfterEdit, maskedAadhaar, mobileOf, paiseOf } from '../src/digits.js';

test('rupees as people write them become paise', () => {
  assert.equal(paiseOf('250'), 25000);
  assert.equal(paiseOf('₹1,250'), 125000);
  assert.equal(paiseOf('₹ 99.5'), 9950);
  assert.equal(paiseOf('Rs. 300'), 30000);
  assert.equal(paiseOf('२५०'), 25000);
  assert.equal(paiseOf(' 150 '), 15000);
  for (const bad of ['', 'abc', '12.345', '-5', '1e3']) assert.equal(paiseOf(bad), null, bad);
});

test('mobile numbers lose their spaces, +91 and leading 0', () => {
  assert.equal(mobileOf('98765 43210'), '9876543210');
  assert.equal(mobileOf('+91 98765-43210'), '9876543210');
  assert.equal(mobileOf('09876543210'), '9876543210');
  assert.equal(mobileOf('९८७६५४३२१०'), '9876543210');
});

test('the Aadhaar box shows only the last four digits', () => {
  assert.equal(maskedAadhaar(''), '');
  assert.equal(maskedAadhaar('1234'), '1234');
  assert.equal(maskedAadhaar('12345'), '•234 5');
  assert.equal(maskedAadhaar('234567890123'), '•••• •••• 0123');
});

test('typing, pasting and deleting at the end keep the hidden digits', () => {
  let digits = '';
  for (const key of '234567890123') digits = aadhaarAfterEdit(digits, maskedAadhaar(digits) + key);
  assert.equal(digits, '234567890123');
  assert.equal(aadhaarAfterEdit('', '2345 6789 0123'), '234567890123');
  assert.equal(aadhaarAfterEdit('234567890123', '•••• •••• 012'), '23456789012');
  assert.equal(aadhaarAfterEdit('23456789012', maskedAadhaar('23456789012').slice(0, -1) + '9'), '23456789019');
  assert.equal(aadhaarAfterEdit('234567890123', '2345678901234567'), '234567890123');
});
