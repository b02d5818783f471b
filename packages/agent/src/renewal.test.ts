import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renewalTime } from './renewal.js';

const MIN = 60 * 1000;
const HOUR = 60 * MIN;
// A certificate issued at T for 24 h starts an hour before T (CERT_BACKDATE_MS).
const T = Date.parse('2026-03-01T12:00:00Z');
const NOT_BEFORE = T - 60 * MIN;
const NOT_AFTER = T + 24 * HOUR;

test('renewal happens between 50% and 80% of the lifetime counted from issue', () => {
  assert.equal(renewalTime(NOT_BEFORE, NOT_AFTER, 0), T + 12 * HOUR);
  assert.equal(renewalTime(NOT_BEFORE, NOT_AFTER, 0.5), T + 15.6 * HOUR);
  assert.ok(Math.abs(renewalTime(NOT_BEFORE, NOT_AFTER, 0.999999) - (T + 19.2 * HOUR)) < 1000);
});

test('a short-lived certificate is renewed within its own few seconds', () => {
  const at = renewalTime(NOT_BEFORE, T + 4000, 0.25);
  assert.equal(at, T + 4000 * 0.575);
});

test('a certificate shorter than the backdate is renewed before it ends', () => {
  const at = renewalTime(T, T + 1000, 0);
  assert.ok(at <= T + 1000);
});
