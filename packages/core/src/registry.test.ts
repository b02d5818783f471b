import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocateVips, buildRegistry, diffRegistry } from './registry.js';
import type { Node, Service, Task } from './model.js';

const node = (id: string, status: Node['status'] = 'ready'): Node => ({
  id, name: id, role: 'worker', address: `10.0.0.${id.length}`, hostname: id, labels: {}, availability: 'active', status,
  statusMessage: '', lastHeartbeat: 0, engineVersion: '', nanoCpus: 0, memoryBytes: 0, createdAt: 0,
});
const service = (name: string, extra: Partial<Service> = {}): Service => ({
  name: `s_${name}`, stack: 's', specVersion: 1, createdAt: 0, updatedAt: 0,
  spec: { name, image: 'i', env: {}, labels: {}, ports: [{ target: 80, published: 0, protocol: 'tcp', mode: 'ingress' }], mode: 'replicated', replicas: 1, restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000 },
  ...extra,
});
const task = (id: string, nodeId: string, extra: Partial<Task> = {}): Task => ({
  id, stack: 's', service: 's_web', slot: 1, nodeId, desiredState: 'running', state: 'running', containerId: 'c', error: '', exitCode: 0,
  health: '', specVersion: 1, createdAt: 0, updatedAt: 0, ports: [{ target: 80, protocol: 'tcp', hostPort: 30000 }], ...extra,
});

test('only running, healthy tasks on ready nodes that should run are endpoints', () => {
  const tasks = [
    task('a', 'n1'),
    task('b', 'n1', { health: 'unhealthy' }),
    task('c', 'n1', { health: 'starting' }),
    task('d', 'down'),
    task('e', 'n1', { desiredState: 'shutdown' }),
    task('f', 'n1', { state: 'starting' }),
    task('g', 'n1', { health: 'healthy' }),
  ];
  const [e] = buildRegistry([service('web', { vip: '10.233.0.2' })], tasks, [node('n1'), node('down', 'down')]);
  assert.deepEqual(e?.endpoints.map((x) => x.taskId), ['a', 'g']);
  assert.equal(e?.endpoints[0]?.nodeAddress, '10.0.0.2');
  assert.deepEqual(e?.endpoints[0]?.ports, [{ target: 80, protocol: 'tcp', hostPort: 30000 }]);
  assert.equal(e?.vip, '10.233.0.2');
});

test('VIPs are allocated once, lowest free first, and kept', () => {
  const got = allocateVips([service('a', { vip: '10.233.0.2' }), service('b'), service('c', { createdAt: 5 })]);
  assert.deepEqual(got.map((s) => [s.name, s.vip]), [['s_b', '10.233.0.3'], ['s_c', '10.233.0.4']]);
  assert.deepEqual(allocateVips([service('a', { vip: '10.233.0.2' })]), []);
  assert.equal(allocateVips([service('x', { vip: 'bogus' })])[0]?.vip, '10.233.0.2');
});

test('a diff names changed and removed services only', () => {
  const first = diffRegistry(new Map(), buildRegistry([service('web'), service('db')], [], []));
  assert.equal(first.diff.changed.length, 2);
  const same = diffRegistry(first.keys, buildRegistry([service('web'), service('db')], [], []));
  assert.deepEqual(same.diff, { changed: [], removed: [] });
  const next = diffRegistry(first.keys, buildRegistry([service('web')], [task('a', 'n1')], [node('n1')]));
  assert.deepEqual(next.diff.changed.map((e) => e.name), ['s_web']);
  assert.deepEqual(next.diff.removed, ['s_db']);
});
