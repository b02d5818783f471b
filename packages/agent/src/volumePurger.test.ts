import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VolumePurger } from './volumePurger.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a stack whose volumes are in use is retried until none is left', async () => {
  const left = [2, 1, 0];
  const calls: string[] = [];
  const p = new VolumePurger({ remove: async (s) => { calls.push(s); return left.shift() ?? 0; }, log: () => undefined, retryMs: 5 });
  p.purge(['shop']);
  await tick(60);
  assert.deepEqual(calls, ['shop', 'shop', 'shop']);
  assert.deepEqual(p.purging(), []);
});

test('a stack deployed again here is no longer purged', async () => {
  let calls = 0;
  const p = new VolumePurger({ remove: async () => { calls++; return 1; }, log: () => undefined, retryMs: 5 });
  p.purge(['shop']);
  p.keep(['shop']);
  await tick(40);
  assert.equal(calls, 1);
  assert.deepEqual(p.purging(), []);
  p.stop();
});
