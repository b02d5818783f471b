import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Service, ServiceSpec, Task } from './model.js';
import { dependentsToRestart } from './dependencies.js';
import { schedule, type Placement } from './schedule.js';
import type { Unplaced } from './schedule.js';

/** shown keeps what an unplaced task shows: its id and its reason as text. */
function shown(unplaced: readonly Unplaced[]): { taskId: string; reason: string }[] {
  return unplaced.map(({ taskId, reason }) => ({ taskId, reason }));
}

const MiB = 1024 * 1024;

function node(id: string, over: Partial<Node> = {}): Node {
  return {
    id, name: id, role: 'worker', address: '', hostname: `${id}.lab`, labels: {}, availability: 'active', status: 'ready',
    statusMessage: '', lastHeartbeat: 0, engineVersion: '', nanoCpus: 2e9, memoryBytes: 1024 * MiB, createdAt: 0, ...over,
  };
}

function service(name: string, over: Partial<ServiceSpec> = {}, specVersion = 1): Service {
  const spec: ServiceSpec = {
    name, image: 'busybox', env: {}, labels: {}, ports: [], mode: 'replicated', replicas: 1,
    restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 10000, ...over,
  };
  return { name: `s_${name}`, stack: 's', spec, specVersion, createdAt: 0, updatedAt: 0 };
}

function task(id: string, svc: string, slot: number, over: Partial<Task> = {}): Task {
  return {
    id, stack: 's', service: `s_${svc}`, slot, nodeId: '', desiredState: 'running', state: 'new', containerId: '',
    error: '', exitCode: 0, health: '', specVersion: 1, createdAt: 0, updatedAt: 0, ...over,
  };
}

function run(tasks: Task[], nodes: Node[], ...list: Service[]) {
  return schedule({ tasks, nodes, services: new Map(list.map((s) => [s.name, s])) });
}

function perNode(placements: Placement[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of placements) out[p.nodeId] = (out[p.nodeId] ?? 0) + 1;
  return out;
}

const healthyDb = { service: 'db', condition: 'service_healthy' as const, required: true, restart: false };

test('a dependent task waits for its dependency to be healthy, wherever it runs', () => {
  const web = service('web', { dependsOn: [healthyDb] });
  const db = service('db');
  const nodes = [node('a'), node('b')];
  const starting = run([task('w1', 'web', 1), task('d1', 'db', 1, { nodeId: 'b', state: 'running', health: 'starting' })], nodes, web, db);
  assert.deepEqual(shown(starting.unplaced), [{ taskId: 'w1', reason: 'waiting for db: healthy' }]);
  const healthy = run([task('w1', 'web', 1), task('d1', 'db', 1, { nodeId: 'b', state: 'running', health: 'healthy' })], nodes, web, db);
  assert.deepEqual(healthy.unplaced, []);
  assert.equal(healthy.placements.length, 1);
});

test('tasks of a global service, born on their nodes, wait for their dependencies too, then are released there', () => {
  const agent = service('agent', { mode: 'global', dependsOn: [healthyDb] });
  const db = service('db');
  const nodes = [node('a'), node('b')];
  const globals = () => [task('ga', 'agent', 0, { nodeId: 'a' }), task('gb', 'agent', 0, { nodeId: 'b', state: 'pending', error: 'waiting for db: healthy' })];
  const starting = run([...globals(), task('d1', 'db', 1, { nodeId: 'b', state: 'running', health: 'starting' })], nodes, agent, db);
  assert.deepEqual(starting.placements, []);
  assert.deepEqual(shown(starting.unplaced), [{ taskId: 'ga', reason: 'waiting for db: healthy' }, { taskId: 'gb', reason: 'waiting for db: healthy' }]);
  const healthy = run([...globals(), task('d1', 'db', 1, { nodeId: 'b', state: 'running', health: 'healthy' })], nodes, agent, db);
  assert.deepEqual(healthy.unplaced, []);
  assert.deepEqual(healthy.placements, [{ taskId: 'ga', nodeId: 'a' }, { taskId: 'gb', nodeId: 'b' }]);
  // A released task (assigned or further on) is left alone; one of a removed service is not released.
  const released = run([task('ga', 'agent', 0, { nodeId: 'a', state: 'assigned' }), task('gx', 'gone', 0, { nodeId: 'a' })], nodes, agent, db);
  assert.deepEqual(released.placements, []);
  assert.deepEqual(shown(released.unplaced), [{ taskId: 'gx', reason: 'service "s_gone" not found' }]);
});

test('service_started waits for running, service_completed_successfully for exit 0', () => {
  const nodes = [node('a')];
  const started = service('web', { dependsOn: [{ ...healthyDb, condition: 'service_started' }] });
  const completed = service('web', { dependsOn: [{ ...healthyDb, condition: 'service_completed_successfully' }] });
  const db = service('db');
  const cases: { web: Service; db: Partial<Task>; waits: boolean }[] = [
    { web: started, db: { nodeId: 'a', state: 'starting' }, waits: true },
    { web: started, db: { nodeId: 'a', state: 'running' }, waits: false },
    { web: completed, db: { nodeId: 'a', state: 'running' }, waits: true },
    { web: completed, db: { nodeId: 'a', state: 'failed', exitCode: 1, desiredState: 'shutdown' }, waits: true },
    { web: completed, db: { nodeId: 'a', state: 'complete', exitCode: 0, desiredState: 'shutdown' }, waits: false },
    { web: started, db: { nodeId: 'a', state: 'running', specVersion: 0 }, waits: true },
  ];
  for (const c of cases) {
    const r = run([task('w1', 'web', 1), task('d1', 'db', 1, c.db)], nodes, c.web, db);
    assert.equal(r.unplaced.length === 1, c.waits, JSON.stringify(c.db));
  }
});

test('an optional dependency that is not deployed does not hold back; a required one does', () => {
  const nodes = [node('a')];
  assert.deepEqual(run([task('w1', 'web', 1)], nodes, service('web', { dependsOn: [{ ...healthyDb, required: false }] })).unplaced, []);
  assert.deepEqual(shown(run([task('w1', 'web', 1)], nodes, service('web', { dependsOn: [healthyDb] })).unplaced), [{ taskId: 'w1', reason: 'waiting for db: healthy (not deployed)' }]);
});

test('reservations are honoured against node memory and CPUs and explained', () => {
  const big = service('big', { replicas: 3, reservations: { nanoCpus: 0, memoryBytes: 512 * MiB } });
  const r = run([1, 2, 3].map((i) => task(`t${i}`, 'big', i)), [node('a', { memoryBytes: 1024 * MiB }), node('b', { memoryBytes: 256 * MiB })], big);
  assert.deepEqual(r.placements.map((p) => p.nodeId), ['a', 'a']);
  assert.deepEqual(shown(r.unplaced), [{ taskId: 't3', reason: 'no suitable node (2 nodes lack 512MiB memory)' }]);
  const cpu = service('cpu', { reservations: { nanoCpus: 3e9, memoryBytes: 0 } });
  assert.deepEqual(shown(run([task('c1', 'cpu', 1)], [node('a')], cpu).unplaced), [{ taskId: 'c1', reason: 'no suitable node (1 node lacks 3 CPUs)' }]);
});

test('refusals of every filter are counted together: two drained nodes and one short of memory read as such', () => {
  const big = service('big', { reservations: { nanoCpus: 0, memoryBytes: 512 * MiB } });
  const nodes = [node('a', { availability: 'drain' }), node('b', { availability: 'drain' }), node('c', { memoryBytes: 256 * MiB })];
  const r = run([task('t1', 'big', 1)], nodes, big);
  assert.deepEqual(r.placements, []);
  assert.deepEqual(r.unplaced.map((u) => u.why), [{
    kind: 'no_suitable_node',
    refusals: [{ refusal: { kind: 'drained' }, nodes: 2 }, { refusal: { kind: 'memory', bytes: 512 * MiB }, nodes: 1 }],
  }]);
  assert.deepEqual(shown(r.unplaced), [{ taskId: 't1', reason: 'no suitable node (2 nodes drained, 1 node lacks 512MiB memory)' }]);
});

test('a dependency wait is data: the services waited for, their condition and whether they are deployed', () => {
  const web = service('web', { dependsOn: [healthyDb, { service: 'cache', condition: 'service_started', required: true, restart: false }] });
  const r = run([task('w1', 'web', 1)], [node('a')], web, service('db'));
  assert.deepEqual(r.unplaced.map((u) => u.why), [{
    kind: 'waiting_for_dependencies',
    waits: [{ service: 'db', condition: 'service_healthy', deployed: true }, { service: 'cache', condition: 'service_started', deployed: false }],
  }]);
  assert.deepEqual(shown(r.unplaced), [{ taskId: 'w1', reason: 'waiting for db: healthy, cache: started (not deployed)' }]);
});

test('reservations of tasks already running count, across services', () => {
  const db = service('db', { reservations: { nanoCpus: 0, memoryBytes: 768 * MiB } });
  const web = service('web', { reservations: { nanoCpus: 0, memoryBytes: 512 * MiB } });
  const r = run([task('d1', 'db', 1, { nodeId: 'a', state: 'running' }), task('w1', 'web', 1)], [node('a'), node('b')], db, web);
  assert.deepEqual(r.placements, [{ taskId: 'w1', nodeId: 'b' }]);
});

test('max_replicas_per_node bounds the tasks of a service on one node', () => {
  const web = service('web', { replicas: 3, maxReplicasPerNode: 1 });
  const r = run([1, 2, 3].map((i) => task(`t${i}`, 'web', i)), [node('a'), node('b')], web);
  assert.deepEqual(perNode(r.placements), { a: 1, b: 1 });
  assert.deepEqual(r.unplaced.map((u) => u.reason), ['no suitable node (2 nodes at max_replicas_per_node 1)']);
});

test('spread places tasks evenly over the values of a node label', () => {
  const web = service('web', { replicas: 4, spread: ['node.labels.zone'] });
  const nodes = [node('a', { labels: { zone: 'eu' } }), node('b', { labels: { zone: 'eu' } }), node('c', { labels: { zone: 'us' } })];
  const r = run([1, 2, 3, 4].map((i) => task(`t${i}`, 'web', i)), nodes, web);
  const zones: Record<string, number> = {};
  for (const p of r.placements) {
    const zone = nodes.find((n) => n.id === p.nodeId)?.labels['zone'] ?? '';
    zones[zone] = (zones[zone] ?? 0) + 1;
  }
  assert.deepEqual(zones, { eu: 2, us: 2 });
});

test('a replica with a local named volume stays on the node that holds its data', () => {
  const db = service('db', { mounts: [{ type: 'volume', source: 's_data', target: '/data', readOnly: false }] });
  const history = task('old', 'db', 1, { nodeId: 'b', state: 'failed', desiredState: 'shutdown', createdAt: 1 });
  const r = run([history, task('new', 'db', 1, { createdAt: 2 })], [node('a'), node('b')], db);
  assert.deepEqual(r.placements, [{ taskId: 'new', nodeId: 'b' }]);
  const down = run([history, task('new', 'db', 1, { createdAt: 2 })], [node('a'), node('b', { status: 'down' })], db);
  assert.match(down.unplaced[0]?.reason ?? '', /^waiting for node b, which holds the data of its volumes/);
  const gone = run([history, task('new', 'db', 1, { createdAt: 2 })], [node('a')], db);
  assert.deepEqual(gone.placements, [{ taskId: 'new', nodeId: 'a' }], 'a removed node pins nothing');
});

test('dependents with restart: true are restarted when their dependency is updated, along chains', () => {
  const dep = (service: string, restart: boolean) => ({ service, restart });
  const specs = { db: {}, web: { dependsOn: [dep('db', true)] }, proxy: { dependsOn: [dep('web', true)] }, worker: { dependsOn: [dep('db', false)] } };
  assert.deepEqual(dependentsToRestart(specs, ['db']), ['web', 'proxy']);
  assert.deepEqual(dependentsToRestart(specs, ['db', 'web']), ['proxy']);
  assert.deepEqual(dependentsToRestart(specs, ['worker']), []);
});
