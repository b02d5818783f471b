import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '@cluster/core';
import { SqliteStore } from './sqliteStore.js';
import { OverlayAllocator } from './overlayAllocator.js';

const dir = mkdtempSync(join(tmpdir(), 'overlay-alloc-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const log = { info() {}, warn() {}, error() {} } as never;

const service = (stack: string, name: string, networks?: string[]): Service => ({
  name: `${stack}_${name}`, stack, specVersion: 1, createdAt: 0, updatedAt: 0,
  spec: {
    name, image: 'i', env: {}, labels: {}, ports: [], mode: 'replicated', replicas: 1, restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000,
    ...(networks ? { networks: networks.map((n) => ({ name: n, aliases: [] })) } : {}),
  },
});

test('allocations and node indexes survive a manager restart; unused ones are freed', () => {
  const path = join(dir, 'a.db');
  let store = SqliteStore.open(path);
  let alloc = new OverlayAllocator(store, log);
  const web = service('s', 'web');
  const api = service('s', 'api', ['s_back', 'shared']);
  assert.deepEqual(alloc.networksOf(web), { s_default: { subnet: '10.128.0.0/16', vni: 4096 } });
  assert.deepEqual(alloc.networksOf(api), { s_back: { subnet: '10.129.0.0/16', vni: 4097 }, shared: { subnet: '10.130.0.0/16', vni: 4098 } });
  assert.equal(alloc.nodeIndex('n1'), 1);
  assert.equal(alloc.nodeIndex('n2'), 2);
  assert.equal(alloc.nodeIndex('n1'), 1);
  store.close();

  store = SqliteStore.open(path);
  alloc = new OverlayAllocator(store, log);
  assert.deepEqual(alloc.networksOf(web), { s_default: { subnet: '10.128.0.0/16', vni: 4096 } }, 'the same subnet after a restart');
  assert.equal(alloc.nodeIndex('n2'), 2);
  // The api service and node n1 are gone: their allocations are freed; a new network goes on round the pool.
  alloc.retain([web], new Set(['n2']));
  assert.equal(alloc.nodeIndex('n3'), 1);
  assert.deepEqual(alloc.networksOf(service('t', 'x')), { t_default: { subnet: '10.131.0.0/16', vni: 4099 } });
  store.close();
});
