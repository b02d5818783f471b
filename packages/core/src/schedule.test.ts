import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Service, ServiceSpec, Task } from './model.js';
import { matchesConstraints, parseConstraint, schedule, type Placement } from './schedule.js';
import type { Unplaced } from './schedule.js';

/** shown keeps what an unplaced task shows: its id and its reason as text. */
function shown(unplaced: readonly Unplaced[]): { taskId: string; reason: string }[] {
  return unplaced.map(({ taskId, reason }) => ({ taskId, reason }));
}

function node(id: string, over: Partial<Node> = {}): Node {
  return {
    id, name: id, role: 'worker', address: `10.0.0.${id.length}`, hostname: `${id}.lab`, labels: {},
    availability: 'active', status: 'ready', statusMessage: '', lastHeartbeat: 0, engineVersion: '',
    nanoCpus: 0, memoryBytes: 0, createdAt: 0, ...over,
  };
}

function service(name: string, over: Partial<ServiceSpec> = {}): Service {
  const spec: ServiceSpec = {
    name, image: 'busybox', env: {}, labels: {}, ports: [], mode: 'replicated', replicas: 1,
    restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 10000, ...over,
  };
  return { name: `s_${name}`, stack: 's', spec, specVersion: 1, createdAt: 0, updatedAt: 0 };
}

function task(id: string, svc: string, slot: number, over: Partial<Task> = {}): Task {
  return {
    id, stack: 's', service: `s_${svc}`, slot, nodeId: '', desiredState: 'running', state: 'new', containerId: '',
    error: '', exitCode: 0, health: '', specVersion: 1, createdAt: 0, updatedAt: 0, ...over,
  };
}

function services(...list: Service[]): Map<string, Service> {
  return new Map(list.map((s) => [s.name, s]));
}

function perNode(placements: Placement[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of placements) out[p.nodeId] = (out[p.nodeId] ?? 0) + 1;
  return out;
}

test('six replicas spread two per node over three nodes', () => {
  const tasks = [1, 2, 3, 4, 5, 6].map((i) => task(`t${i}`, 'web', i));
  const r = schedule({ tasks, nodes: [node('c'), node('a'), node('b')], services: services(service('web')) });
  assert.deepEqual(r.unplaced, []);
  assert.deepEqual(perNode(r.placements), { a: 2, b: 2, c: 2 });
  // Ties break by node id, in slot order.
  assert.deepEqual(r.placements.slice(0, 3), [
    { taskId: 't1', nodeId: 'a' }, { taskId: 't2', nodeId: 'b' }, { taskId: 't3', nodeId: 'c' },
  ]);
});

test('placement prefers fewer tasks of the same service, then fewer tasks overall', () => {
  const tasks = [
    task('w1', 'web', 1, { nodeId: 'a', state: 'running' }),
    task('d1', 'db', 1, { nodeId: 'b', state: 'running' }),
    task('d2', 'db', 2, { nodeId: 'b', state: 'running' }),
    task('w2', 'web', 2),
    task('w3', 'web', 3),
  ];
  const r = schedule({ tasks, nodes: [node('a'), node('b'), node('c')], services: services(service('web'), service('db')) });
  // c is empty; b holds no web task but two db tasks; a already holds web.
  assert.deepEqual(r.placements, [{ taskId: 'w2', nodeId: 'c' }, { taskId: 'w3', nodeId: 'b' }]);
});

test('only pending tasks are placed', () => {
  const tasks = [
    task('placed', 'web', 1, { nodeId: 'a', state: 'assigned' }),
    task('stopping', 'web', 2, { desiredState: 'shutdown' }),
    task('failed', 'web', 3, { state: 'failed' }),
    task('waiting', 'web', 4, { state: 'pending' }),
  ];
  const r = schedule({ tasks, nodes: [node('a')], services: services(service('web')) });
  assert.deepEqual(r.placements, [{ taskId: 'waiting', nodeId: 'a' }]);
});

test('drained node takes no new tasks', () => {
  const nodes = [node('a', { availability: 'drain' }), node('b'), node('c', { availability: 'pause' })];
  const r = schedule({ tasks: [task('t1', 'web', 1), task('t2', 'web', 2)], nodes, services: services(service('web')) });
  assert.deepEqual(perNode(r.placements), { b: 2 });
});

test('unplaceable task explains every refusal', () => {
  const nodes = [
    node('a', { status: 'down' }), node('b', { status: 'down' }), node('c', { availability: 'drain' }),
    node('d', { labels: { zone: 'us' } }), node('e', { availability: 'pause' }), node('f', { status: 'unknown' }),
  ];
  const svc = service('web', { constraints: ['node.labels.zone == eu'] });
  const r = schedule({ tasks: [task('t1', 'web', 1)], nodes, services: services(svc) });
  assert.deepEqual(r.placements, []);
  assert.deepEqual(shown(r.unplaced), [{
    taskId: 't1',
    reason: 'no suitable node (2 nodes down, 1 node not ready, 1 node drained, 1 node paused, 1 node lacks node.labels.zone==eu)',
  }]);
});

test('a ready node whose engine does not answer takes no new task, and says so', () => {
  const nodes = [node('a', { engineError: 'ECONNREFUSED /run/docker.sock' }), node('b')];
  const r = schedule({ tasks: [task('t1', 'web', 1), task('t2', 'web', 2)], nodes, services: services(service('web')) });
  assert.deepEqual(perNode(r.placements), { b: 2 });
  const none = schedule({ tasks: [task('t1', 'web', 1)], nodes: [nodes[0]!], services: services(service('web')) });
  assert.deepEqual(shown(none.unplaced), [{ taskId: 't1', reason: 'no suitable node (1 node with an unreachable engine)' }]);
});

test('with no nodes the reason says so', () => {
  const r = schedule({ tasks: [task('t1', 'web', 1)], nodes: [], services: services(service('web')) });
  assert.deepEqual(shown(r.unplaced), [{ taskId: 't1', reason: 'no suitable node (no nodes)' }]);
});

test('a task of an unknown service or with an invalid constraint stays unplaced', () => {
  const bad = service('bad', { constraints: ['engine.labels.x==1'] });
  const r = schedule({ tasks: [task('t1', 'gone', 1), task('t2', 'bad', 1)], nodes: [node('a')], services: services(bad) });
  assert.deepEqual(r.placements, []);
  assert.equal(r.unplaced.length, 2);
  assert.match(r.unplaced[0]?.reason ?? '', /^invalid placement: constraint "engine.labels.x==1": unknown key/);
  assert.equal(r.unplaced[1]?.reason, 'service "s_gone" not found');
});

test('constraints select nodes by id, hostname, role and label', () => {
  const nodes = [
    node('a', { role: 'manager', labels: { zone: 'eu' } }),
    node('b', { name: 'web-1', hostname: 'Host-B', labels: { zone: 'us' } }),
    node('c', { labels: {} }),
  ];
  const eligible = (constraints: string[]): string[] => nodes.filter((n) => matchesConstraints(n, constraints)).map((n) => n.id);
  assert.deepEqual(eligible(['node.id==b']), ['b']);
  assert.deepEqual(eligible(['node.hostname==web-1']), ['b']);
  assert.deepEqual(eligible(['node.hostname==host-b']), ['b']);
  assert.deepEqual(eligible(['node.role==manager']), ['a']);
  assert.deepEqual(eligible(['node.role!=manager']), ['b', 'c']);
  assert.deepEqual(eligible(['node.labels.zone==eu']), ['a']);
  assert.deepEqual(eligible(['node.labels.zone!=eu']), ['b', 'c']);
  assert.deepEqual(eligible(['node.labels.zone!=eu', 'node.role==worker', 'node.id!=c']), ['b']);
  assert.deepEqual(eligible([]), ['a', 'b', 'c']);
  assert.deepEqual(eligible(['nonsense']), []);
});

test('parseConstraint reads both operators and rejects what it cannot read', () => {
  assert.deepEqual(parseConstraint(' node.labels.zone == eu '), { key: 'node.labels.zone', op: '==', value: 'eu' });
  assert.deepEqual(parseConstraint('node.role!=manager'), { key: 'node.role', op: '!=', value: 'manager' });
  for (const text of ['node.role', 'node.role==', 'node.labels.==x', 'engine.labels.a==b', 'node.role=manager']) {
    assert.ok('error' in parseConstraint(text), text);
  }
});

test('services with constraints only use matching nodes and still spread', () => {
  const nodes = [node('a', { labels: { zone: 'eu' } }), node('b', { labels: { zone: 'eu' } }), node('c')];
  const svc = service('web', { constraints: ['node.labels.zone==eu'], replicas: 4 });
  const r = schedule({ tasks: [1, 2, 3, 4].map((i) => task(`t${i}`, 'web', i)), nodes, services: services(svc) });
  assert.deepEqual(perNode(r.placements), { a: 2, b: 2 });
});

test('ten thousand tasks on a hundred nodes spread evenly', () => {
  const nodes = Array.from({ length: 100 }, (_, i) => node(`n${String(i).padStart(3, '0')}`));
  const names = ['api', 'web', 'worker', 'cache'];
  const tasks: Task[] = [];
  for (let i = 0; i < 10_000; i++) {
    const svc = names[i % names.length] ?? 'api';
    tasks.push(task(`t${i}`, svc, Math.floor(i / names.length) + 1));
  }
  const r = schedule({ tasks: tasks.reverse(), nodes, services: services(...names.map((n) => service(n))) });
  assert.equal(r.unplaced.length, 0);
  assert.equal(r.placements.length, 10_000);
  const counts = Object.values(perNode(r.placements));
  assert.equal(counts.length, 100);
  assert.ok(counts.every((c) => c === 100));
  // Each service alone is spread evenly too: 2,500 tasks, 25 per node.
  const byTask = new Map(tasks.map((t) => [t.id, t.service]));
  const web = perNode(r.placements.filter((p) => byTask.get(p.taskId) === 's_web'));
  assert.ok(Object.values(web).every((c) => c === 25));
});

test('the same input in another order gives the same placements', () => {
  const tasks = Array.from({ length: 30 }, (_, i) => task(`t${i}`, i % 2 ? 'a' : 'b', i + 1));
  const nodes = [node('x'), node('y'), node('z')];
  const svcs = services(service('a'), service('b'));
  const one = schedule({ tasks, nodes, services: svcs });
  const two = schedule({ tasks: [...tasks].reverse(), nodes: [...nodes].reverse(), services: svcs });
  assert.deepEqual(one, two);
});
