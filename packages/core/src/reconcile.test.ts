import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, RestartPolicy, Service, ServiceSpec, Task } from './model.js';
import { reconcile, type Plan, type ReconcileInput } from './reconcile.js';
import { schedule } from './schedule.js';

const NOW = 100_000;

function node(id: string, over: Partial<Node> = {}): Node {
  return {
    id, name: `host-${id}`, role: 'worker', address: '', hostname: id, labels: {}, availability: 'active',
    status: 'ready', statusMessage: '', lastHeartbeat: 0, engineVersion: '', nanoCpus: 0, memoryBytes: 0, createdAt: 0, ...over,
  };
}

function service(name: string, over: Partial<ServiceSpec> = {}, restart: Partial<RestartPolicy> = {}, specVersion = 1): Service {
  const spec: ServiceSpec = {
    name, image: 'busybox', env: {}, labels: {}, ports: [], mode: 'replicated', replicas: 1,
    restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0, ...restart },
    constraints: [], stopGracePeriodMs: 10000, ...over,
  };
  return { name: `s_${name}`, stack: 's', spec, specVersion, createdAt: 0, updatedAt: 0 };
}

/** running makes a running task of s_web (or another service) on a node. */
function running(id: string, slot: number, nodeId: string, over: Partial<Task> = {}): Task {
  return {
    id, stack: 's', service: 's_web', slot, nodeId, desiredState: 'running', state: 'running', containerId: `c-${id}`,
    error: '', exitCode: 0, health: '', specVersion: 1, createdAt: 1000, updatedAt: 1000, ...over,
  };
}

function run(input: Partial<ReconcileInput> & Pick<ReconcileInput, 'services' | 'tasks'>): Plan {
  let n = 0;
  return reconcile({ nodes: [node('a'), node('b'), node('c')], now: NOW, newId: () => `new${++n}`, ...input });
}

/** slots lists the slot of each created task. */
function slots(plan: Plan): number[] {
  return plan.create.map((t) => t.slot);
}

test('deploy creates one new task per replica slot', () => {
  const plan = run({ services: [service('web', { replicas: 3 }, {}, 4)], tasks: [] });
  assert.deepEqual(slots(plan), [1, 2, 3]);
  assert.deepEqual(plan.create[0], {
    id: 'new1', stack: 's', service: 's_web', slot: 1, nodeId: '', desiredState: 'running', state: 'new', containerId: '',
    error: '', exitCode: 0, health: '', specVersion: 4, createdAt: NOW, updatedAt: NOW,
  });
  assert.deepEqual([plan.update, plan.remove, plan.wakeAt], [[], [], undefined]);
});

test('a converged service yields an empty plan', () => {
  const tasks = [running('t1', 1, 'a'), running('t2', 2, 'b'), running('t3', 3, 'c', { state: 'new', nodeId: '' })];
  assert.deepEqual(run({ services: [service('web', { replicas: 3 })], tasks }), { create: [], update: [], remove: [] });
});

test('scale down to zero stops all replicas', () => {
  const tasks = [running('t1', 1, 'a'), running('t2', 2, 'b'), running('t3', 3, '', { state: 'new' })];
  const plan = run({ services: [service('web', { replicas: 0 })], tasks });
  assert.deepEqual(plan.create, []);
  assert.deepEqual(plan.update, [{ id: 't1', desiredState: 'shutdown' }, { id: 't2', desiredState: 'shutdown' }]);
  assert.deepEqual(plan.remove, ['t3']);
});

test('scale down stops only the slots beyond the count', () => {
  const tasks = [1, 2, 3, 4].map((i) => running(`t${i}`, i, 'a'));
  const plan = run({ services: [service('web', { replicas: 2 })], tasks });
  assert.deepEqual(plan.update.map((u) => u.id), ['t3', 't4']);
  assert.deepEqual(plan.create, []);
});

test('scale up after scale down fills the slots again, even with restart none', () => {
  const tasks = [running('t1', 1, 'a'), running('t2', 2, 'b', { desiredState: 'shutdown', state: 'shutdown' })];
  const plan = run({ services: [service('web', { replicas: 2 }, { condition: 'none' })], tasks });
  assert.deepEqual(slots(plan), [2]);
});

test('failed task is replaced in the same slot after the restart delay', () => {
  const failed = running('t2', 2, 'b', { state: 'failed', exitCode: 1, updatedAt: NOW - 1000 });
  const input = { services: [service('web', { replicas: 2 }, { delayMs: 5000 })], tasks: [running('t1', 1, 'a'), failed] };
  const early = run(input);
  assert.deepEqual([early.create, early.update, early.remove], [[], [], []]);
  assert.equal(early.wakeAt, NOW + 4000);
  const late = run({ ...input, now: NOW + 4000 });
  assert.deepEqual(late.update, [{ id: 't2', desiredState: 'shutdown' }]);
  assert.deepEqual(slots(late), [2]);
  assert.equal(late.wakeAt, undefined);
});

test('a failed task written after now (the clock was set back by minutes) is replaced without waiting out the step', () => {
  const failed = running('t2', 2, 'b', { state: 'failed', exitCode: 1, updatedAt: NOW + 10 * 60_000 });
  const plan = run({ services: [service('web', { replicas: 2 }, { delayMs: 5000 })], tasks: [running('t1', 1, 'a'), failed] });
  assert.deepEqual(plan.update, [{ id: 't2', desiredState: 'shutdown' }]);
  assert.deepEqual(slots(plan), [2]);
  assert.equal(plan.wakeAt, undefined);
});

test('on-failure does not replace a task that completed', () => {
  const done = running('t1', 1, 'a', { state: 'complete' });
  const svc = service('web', {}, { condition: 'on-failure' });
  const plan = run({ services: [svc], tasks: [done] });
  assert.deepEqual(plan.update, [{ id: 't1', desiredState: 'shutdown' }]);
  assert.deepEqual(plan.create, []);
  // The slot stays empty on later passes too.
  const again = run({ services: [svc], tasks: [{ ...done, desiredState: 'shutdown' }] });
  assert.deepEqual(again, { create: [], update: [], remove: [] });
});

test('on-failure replaces a task that exited non-zero or was rejected', () => {
  const svc = service('web', { replicas: 2 }, { condition: 'on-failure' });
  const tasks = [running('t1', 1, 'a', { state: 'complete', exitCode: 3 }), running('t2', 2, 'a', { state: 'rejected' })];
  assert.deepEqual(slots(run({ services: [svc], tasks })), [1, 2]);
});

test('restart none never replaces an exited task', () => {
  const svc = service('web', {}, { condition: 'none' });
  const plan = run({ services: [svc], tasks: [running('t1', 1, 'a', { state: 'failed', exitCode: 1 })] });
  assert.deepEqual([plan.create, plan.update], [[], [{ id: 't1', desiredState: 'shutdown' }]]);
});

test('max attempts stops replacements', () => {
  const svc = service('web', {}, { maxAttempts: 2 });
  const fail = (id: string, at: number, desired: 'running' | 'shutdown'): Task =>
    running(id, 1, 'a', { state: 'failed', exitCode: 1, createdAt: at, updatedAt: at, desiredState: desired });
  const second = run({ services: [svc], tasks: [fail('t1', 1, 'shutdown'), fail('t2', 2, 'running')] });
  assert.deepEqual(slots(second), [1]);
  const third = run({ services: [svc], tasks: [fail('t1', 1, 'shutdown'), fail('t2', 2, 'shutdown'), fail('t3', 3, 'running')] });
  assert.deepEqual([third.create, third.update], [[], [{ id: 't3', desiredState: 'shutdown' }]]);
  // Attempts of an older spec do not count.
  const redeployed = { ...svc, specVersion: 2 };
  assert.deepEqual(slots(run({ services: [redeployed], tasks: [fail('t1', 1, 'shutdown'), fail('t2', 2, 'shutdown'), fail('t3', 3, 'shutdown')] })), [1]);
});

test('max attempts within a window retries once old attempts age out', () => {
  const svc = service('web', {}, { maxAttempts: 1, windowMs: 10_000 });
  const tasks = [
    running('t1', 1, 'a', { state: 'failed', createdAt: NOW - 9000, updatedAt: NOW - 8000, desiredState: 'shutdown' }),
    running('t2', 1, 'a', { state: 'failed', createdAt: NOW - 2000, updatedAt: NOW - 1000 }),
  ];
  const now = run({ services: [svc], tasks });
  assert.deepEqual(now.create, []);
  assert.equal(now.wakeAt, NOW + 2001);
  assert.deepEqual(slots(run({ services: [svc], tasks, now: NOW + 2001 })), [1]);
});

test('task on a down node is orphaned and replaced', () => {
  const svc = service('web', { replicas: 2 }, { delayMs: 60_000 });
  const tasks = [running('t1', 1, 'a'), running('t2', 2, 'b')];
  const plan = run({ services: [svc], tasks, nodes: [node('a'), node('b', { status: 'down' })] });
  assert.deepEqual(plan.update, [{ id: 't2', desiredState: 'shutdown', state: 'orphaned', error: 'node host-b is down' }]);
  assert.deepEqual(plan.create.map((t) => [t.slot, t.nodeId, t.state]), [[2, '', 'new']]);
  assert.equal(plan.wakeAt, undefined);
});

test('a node down for its engine orphans its tasks with the engine\'s reason; one within its grace keeps them', () => {
  const svc = service('web', { replicas: 2 }, { delayMs: 60_000 });
  const tasks = [running('t1', 1, 'a'), running('t2', 2, 'b')];
  const plan = run({ services: [svc], tasks, nodes: [node('a', { engineError: 'ECONNREFUSED /x.sock' }), node('b', { status: 'down', engineError: 'ECONNREFUSED /y.sock' })] });
  assert.deepEqual(plan.update, [{ id: 't2', desiredState: 'shutdown', state: 'orphaned', error: 'node host-b (engine unreachable: ECONNREFUSED /y.sock) is down' }]);
  assert.deepEqual(plan.create.map((t) => [t.slot, t.nodeId]), [[2, '']]);
});

test('task on a node that no longer exists is orphaned and replaced', () => {
  const plan = run({ services: [service('web')], tasks: [running('t1', 1, 'gone')], nodes: [node('a')] });
  assert.deepEqual(plan.update, [{ id: 't1', desiredState: 'shutdown', state: 'orphaned', error: 'node gone is down' }]);
  assert.deepEqual(slots(plan), [1]);
});

test('drained node takes no new tasks and its tasks move', () => {
  const nodes = [node('a', { availability: 'drain' }), node('b'), node('c', { availability: 'pause' })];
  const svc = service('web', { replicas: 2 });
  const tasks = [running('t1', 1, 'a'), running('t2', 2, 'c')];
  const plan = run({ services: [svc], tasks, nodes });
  // The paused node keeps its task; the drained one gives it up.
  assert.deepEqual(plan.update, [{ id: 't1', desiredState: 'shutdown' }]);
  assert.deepEqual(slots(plan), [1]);
  const placed = schedule({ tasks: [...tasks, ...plan.create], nodes, services: new Map([[svc.name, svc]]) });
  assert.deepEqual(placed.placements, [{ taskId: 'new1', nodeId: 'b' }]);
});

test('redeploy with a new spec version replaces every task', () => {
  const tasks = [running('t1', 1, 'a'), running('t2', 2, 'b'), running('t3', 3, '', { state: 'new' })];
  const plan = run({ services: [service('web', { replicas: 3 }, {}, 2)], tasks });
  assert.deepEqual(plan.update, [{ id: 't1', desiredState: 'shutdown' }, { id: 't2', desiredState: 'shutdown' }]);
  assert.deepEqual(plan.remove, ['t3']);
  assert.deepEqual(plan.create.map((t) => [t.slot, t.specVersion]), [[1, 2], [2, 2], [3, 2]]);
});

test('duplicate slot keeps the running task', () => {
  const tasks = [
    running('old', 1, 'a', { state: 'starting', createdAt: 5000 }),
    running('keep', 1, 'b', { createdAt: 3000 }),
    running('dup', 1, 'c', { createdAt: 2000 }),
    running('wait', 1, '', { state: 'new', createdAt: 6000 }),
  ];
  const plan = run({ services: [service('web')], tasks });
  assert.deepEqual(plan.update, [{ id: 'old', desiredState: 'shutdown' }, { id: 'dup', desiredState: 'shutdown' }]);
  assert.deepEqual([plan.create, plan.remove], [[], ['wait']]);
});

test('global service runs one task per eligible node', () => {
  const nodes = [
    node('a'), node('b', { labels: { zone: 'eu' } }), node('c', { status: 'down' }), node('d', { availability: 'drain' }),
    node('e', { role: 'manager' }),
  ];
  const svc = service('agent', { mode: 'global', constraints: ['node.role==worker'] });
  const tasks = [running('ta', 0, 'a', { service: 's_agent' })];
  const plan = run({ services: [svc], tasks, nodes });
  assert.deepEqual(plan.create.map((t) => [t.slot, t.nodeId, t.state, t.service]), [[0, 'b', 'new', 's_agent']]);
  assert.deepEqual([plan.update, plan.remove], [[], []]);
});

test('global service stops tasks on nodes no longer eligible', () => {
  const nodes = [node('a', { status: 'down' }), node('b', { availability: 'drain' }), node('c', { labels: { zone: 'us' } }), node('d', { availability: 'pause' })];
  const svc = service('agent', { mode: 'global', constraints: ['node.labels.zone!=us'] });
  const tasks = ['a', 'b', 'c', 'd', 'gone'].map((n) => running(`t${n}`, 0, n, { service: 's_agent' }));
  const plan = run({ services: [svc], tasks, nodes });
  assert.deepEqual(plan.create, []);
  assert.deepEqual(plan.update, [
    { id: 'ta', desiredState: 'shutdown', state: 'orphaned', error: 'node host-a is down' },
    { id: 'tb', desiredState: 'shutdown' },
    { id: 'tc', desiredState: 'shutdown' },
    { id: 'tgone', desiredState: 'shutdown', state: 'orphaned', error: 'node gone is down' },
  ]);
});

test('global task that exits is replaced on the same node', () => {
  const svc = service('agent', { mode: 'global' });
  const tasks = [running('t1', 0, 'a', { service: 's_agent', state: 'failed', exitCode: 2 })];
  const plan = run({ services: [svc], tasks, nodes: [node('a')] });
  assert.deepEqual(plan.update, [{ id: 't1', desiredState: 'shutdown' }]);
  assert.deepEqual(plan.create.map((t) => t.nodeId), ['a']);
});

test('a global task still held back by its dependencies is removed, not stopped, when its spec changes or its node drains', () => {
  const svc = service('agent', { mode: 'global' }, {}, 2);
  const tasks = [
    running('held', 0, 'a', { service: 's_agent', state: 'pending', error: 'waiting for db: healthy', specVersion: 1 }),
    running('drained', 0, 'b', { service: 's_agent', state: 'pending', specVersion: 2 }),
  ];
  const plan = run({ services: [svc], tasks, nodes: [node('a'), node('b', { availability: 'drain' })] });
  assert.deepEqual(plan.update, []);
  assert.deepEqual(plan.remove.sort(), ['drained', 'held']);
  assert.deepEqual(plan.create.map((t) => [t.nodeId, t.specVersion]), [['a', 2]]);
});

test('tasks of a removed service on a down or gone node are removed at once (the node removes its container when back)', () => {
  const tasks = [running('lost', 1, 'b'), running('gone', 2, 'nowhere'), running('wait', 3, 'c', { desiredState: 'shutdown' })];
  const plan = run({ services: [], tasks, nodes: [node('b', { status: 'down' }), node('c', { status: 'unknown' })] });
  assert.deepEqual(plan.remove, ['lost', 'gone']);
  assert.deepEqual(plan.update, []);
});

test('tasks of a removed service are stopped, then removed once terminal', () => {
  const tasks = [
    running('live', 1, 'a'),
    running('waiting', 2, '', { state: 'new' }),
    running('done', 3, 'a', { state: 'complete', desiredState: 'shutdown' }),
    running('stopping', 4, 'a', { desiredState: 'shutdown' }),
  ];
  const plan = run({ services: [], tasks, nodes: [node('a')] });
  assert.deepEqual(plan.update, [{ id: 'live', desiredState: 'shutdown' }]);
  assert.deepEqual(plan.remove, ['waiting', 'done']);
  assert.deepEqual(plan.create, []);
});

test('history is pruned to the limit', () => {
  const history = [1, 2, 3, 4, 5].map((i) =>
    running(`h${i}`, 1, 'a', { desiredState: 'shutdown', state: 'shutdown', createdAt: i, updatedAt: i }));
  const tasks = [...history, running('live', 1, 'b', { createdAt: 10 })];
  const plan = run({ services: [service('web')], tasks, historyLimit: 2 });
  assert.deepEqual(plan.remove, ['h1', 'h2', 'h3']);
  assert.deepEqual([plan.create, plan.update], [[], []]);
  assert.deepEqual(run({ services: [service('web')], tasks }).remove, []);
});

test('a task that will be replaced joins the history it is pruned with', () => {
  const history = [1, 2].map((i) => running(`h${i}`, 1, 'a', { desiredState: 'shutdown', state: 'failed', createdAt: i }));
  const plan = run({ services: [service('web')], tasks: [...history, running('t3', 1, 'a', { state: 'failed', createdAt: 3 })], historyLimit: 2 });
  assert.deepEqual(plan.update, [{ id: 't3', desiredState: 'shutdown' }]);
  assert.deepEqual(plan.remove, ['h1']);
  assert.deepEqual(slots(plan), [1]);
});

test('a task asked to stop before it was placed is removed', () => {
  const plan = run({ services: [service('web')], tasks: [running('t1', 1, 'a'), running('t2', 1, '', { state: 'new', desiredState: 'shutdown' })] });
  assert.deepEqual(plan, { create: [], update: [], remove: ['t2'] });
});

test('the plan is the same whatever the input order, with one update per task', () => {
  const svcs = [service('web', { replicas: 3 }, {}, 2), service('db', { replicas: 2 })];
  const tasks = [
    running('w1', 1, 'b'), running('w2', 2, 'a', { state: 'failed' }), running('w3', 5, 'b'),
    running('d1', 1, 'b', { service: 's_db' }), running('d2', 2, 'b', { service: 's_db', state: 'starting' }),
  ];
  const nodes = [node('a'), node('b', { status: 'down' })];
  const one = run({ services: svcs, tasks, nodes });
  const two = run({ services: [...svcs].reverse(), tasks: [...tasks].reverse(), nodes: [...nodes].reverse() });
  assert.deepEqual(one, two);
  const ids = one.update.map((u) => u.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(ids, ['d1', 'd2', 'w1', 'w2', 'w3']);
  assert.deepEqual(one.create.map((t) => `${t.service}/${t.slot}`), ['s_db/1', 's_db/2', 's_web/1', 's_web/2', 's_web/3']);
});
