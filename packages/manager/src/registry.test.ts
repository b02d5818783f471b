import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node, Service, Task } from '@cluster/core';
import type { RegistryUpdate } from '@cluster/api';
import { Store } from './store.js';
import { Registry } from './registry.js';

const dir = mkdtempSync(join(tmpdir(), 'registry-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const node: Node = {
  id: 'n1', name: 'lab1', role: 'worker', address: '10.231.0.11', hostname: 'h', labels: {}, availability: 'active', status: 'ready',
  statusMessage: '', lastHeartbeat: 0, engineVersion: '', nanoCpus: 0, memoryBytes: 0, createdAt: 0,
};
const service: Service = {
  name: 's_web', stack: 's', specVersion: 1, createdAt: 0, updatedAt: 0,
  spec: { name: 'web', image: 'i', env: {}, labels: {}, ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }], mode: 'replicated', replicas: 1, restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000 },
};
const task: Task = {
  id: 't1', stack: 's', service: 's_web', slot: 1, nodeId: 'n1', desiredState: 'running', state: 'running', containerId: 'c', error: '', exitCode: 0,
  health: '', specVersion: 1, createdAt: 0, updatedAt: 0, ports: [{ target: 80, protocol: 'tcp', hostPort: 32768 }],
};

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

test('the registry allocates and stores a VIP, and publishes endpoint changes on the next turn', async () => {
  const store = Store.open(join(dir, 'a.db'));
  const published: RegistryUpdate[] = [];
  const reg = new Registry({ store, log: { info() {}, warn() {}, error() {} } as never, publish: (u) => published.push(u) });
  store.update({ putNodes: [node], putServices: [service], putTasks: [task] });
  reg.start();
  try {
    const vip = store.service('s_web')?.vip;
    assert.equal(vip, '10.233.0.2');
    const full = reg.snapshot();
    assert.equal(full.type, 'FULL');
    assert.deepEqual(full.services?.[0]?.endpoints?.map((e) => [e.nodeAddress, e.ports?.[0]?.hostPort]), [['10.231.0.11', 32768]]);

    const base = published.length;
    store.update({ putTasks: [{ ...task, health: 'unhealthy' }] });
    reg.kick();
    await turn();
    assert.equal(published.length, base + 1);
    assert.equal(published.at(-1)?.type, 'INCREMENTAL');
    assert.deepEqual(published.at(-1)?.services?.[0]?.endpoints, []);

    store.update({ putTasks: [task] });
    reg.kick();
    await turn();
    assert.equal(published.at(-1)?.services?.[0]?.endpoints?.length, 1);

    store.update({ putNodes: [{ ...node, status: 'down' }] });
    reg.kick();
    await turn();
    assert.deepEqual(published.at(-1)?.services?.[0]?.endpoints, []);

    const before = published.length;
    reg.kick();
    await turn();
    assert.equal(published.length, before, 'nothing changed, nothing sent');

    store.update({ deleteServices: ['s_web'] });
    reg.kick();
    await turn();
    assert.deepEqual(published.at(-1)?.removed, ['s_web']);
  } finally {
    reg.stop();
    store.close();
  }
});
