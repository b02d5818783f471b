import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AllowCache, clientAddress } from './allowCache.js';

test('an allowed address is remembered for ttlMs, then forgotten', () => {
  let clock = 5000;
  const c = new AllowCache(1000, () => clock);
  assert.equal(c.allowed('10.0.0.2'), false);
  c.remember('10.0.0.2');
  assert.equal(c.allowed('10.0.0.2'), true);
  assert.equal(c.allowed('10.0.0.3'), false);
  clock += 999;
  assert.equal(c.allowed('10.0.0.2'), true);
  clock += 1;
  assert.equal(c.allowed('10.0.0.2'), false);
});

test('a ttl of 0 remembers nothing', () => {
  const c = new AllowCache(0, () => 0);
  c.remember('10.0.0.2');
  assert.equal(c.allowed('10.0.0.2'), false);
});

test('a full cache starts over instead of growing', () => {
  const c = new AllowCache(1000, () => 0);
  for (let i = 0; i < 4096; i++) c.remember(`10.1.${i >> 8}.${i & 255}`);
  assert.equal(c.allowed('10.1.0.0'), true);
  c.remember('10.2.0.1');
  assert.equal(c.allowed('10.1.0.0'), false);
  assert.equal(c.allowed('10.2.0.1'), true);
});

test('clientAddress drops the IPv4-mapped prefix', () => {
  assert.equal(clientAddress('::ffff:10.0.0.2'), '10.0.0.2');
  assert.equal(clientAddress('10.0.0.2'), '10.0.0.2');
  assert.equal(clientAddress(undefined), '');
});
