import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canSee, NOBODY } from './registryScope.js';
import { buildRegistry } from './registry.js';
import type { Service } from './model.js';

const service = (stack: string, name: string, networks: { name: string; aliases: string[]; external?: boolean }[]): Service => ({
  name: `${stack}_${name}`, stack, specVersion: 1, createdAt: 0, updatedAt: 0,
  spec: { name, image: 'i', env: {}, labels: {}, ports: [], mode: 'replicated', replicas: 1, restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000, networks },
});

test('the registry lists the external networks of a service, not its stack networks', () => {
  const [e] = buildRegistry([service('a', 'web', [{ name: 'a_default', aliases: [] }, { name: 'shared', aliases: [], external: true }, { name: 'shared', aliases: ['x'], external: true }])], [], []);
  assert.deepEqual(e?.networks, ['shared']);
  assert.deepEqual(buildRegistry([service('a', 'db', [])], [], [])[0]?.networks, []);
});

test('a service is seen by its own stack and by containers on one of its external networks', () => {
  const web = { stack: 'a', networks: ['shared'] };
  assert.equal(canSee(web, { stack: 'a', networks: ['a_default'] }), true);
  assert.equal(canSee(web, { stack: 'b', networks: ['b_default', 'shared'] }), true);
  assert.equal(canSee(web, { stack: 'c', networks: ['c_default'] }), false);
  assert.equal(canSee(web, { stack: 'c', networks: ['other'] }), false);
  assert.equal(canSee(web, NOBODY), false);
  assert.equal(canSee({ stack: 'a' }, { stack: 'b', networks: ['shared'] }), false);
});
