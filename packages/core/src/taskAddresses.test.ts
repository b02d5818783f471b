import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusterError } from './errors.js';
import type { Node, Service, Task } from './model.js';
import { assignTaskAddresses, taskAddressNumber, taskAddressOf, TaskAddressPool } from './taskAddresses.js';

const node = (id: string, status: Node['status'] = 'ready'): Node => ({
  id, name: id, role: 'worker', address: `10.0.0.${id.length}`, hostname: id, labels: {}, availability: 'active', status,
  statusMessage: '', lastHeartbeat: 0, engineVersion: '', nanoCpus: 0, memoryBytes: 0, createdAt: 0,
});
const service = (name: string, ports = true): Service => ({
  name: `s_${name}`, stack: 's', specVersion: 1, createdAt: 0, updatedAt: 0,
  spec: { name, image: 'i', env: {}, labels: {}, ports: ports ? [{ target: 80, published: 0, protocol: 'tcp', mode: 'ingress' }] : [], mode: 'replicated', replicas: 1, restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000 },
});
const task = (id: string, extra: Partial<Task> = {}): Task => ({
  id, stack: 's', service: 's_web', slot: 1, nodeId: 'n1', desiredState: 'running', state: 'running', containerId: 'c', error: '', exitCode: 0,
  health: '', specVersion: 1, createdAt: 0, updatedAt: 0, ports: [{ target: 80, protocol: 'tcp', hostPort: 30000 }], ...extra,
});
const services = [service('web'), service('quiet', false)];
const nodes = [node('n1'), node('down', 'down')];

/** stored applies a plan as the store would, and returns the tasks after it. */
function stored(tasks: Task[], assigned: Task[]): Task[] {
  const byId = new Map(assigned.map((t) => [t.id, t]));
  return tasks.map((t) => byId.get(t.id) ?? t);
}

test('task addresses are in 10.234.0.0/15 and never the network or broadcast address', () => {
  assert.equal(taskAddressOf(1), '10.234.0.1');
  assert.equal(taskAddressOf(256), '10.234.1.0');
  assert.equal(taskAddressOf(131070), '10.235.255.254');
  for (const a of ['10.234.0.1', '10.234.1.0', '10.235.255.254']) assert.equal(taskAddressOf(taskAddressNumber(a)), a);
  for (const a of ['10.234.0.0', '10.235.255.255', '10.233.0.2', '10.236.0.1', '10.234.256.1', 'x']) assert.equal(taskAddressNumber(a), -1, a);
});

test('the pool gives unique addresses, the same one again to the same task, and reuses a released one last', () => {
  const pool = new TaskAddressPool({ first: 1, last: 3 });
  const a = pool.allocate('a');
  const b = pool.allocate('b');
  assert.deepEqual([a, b], ['10.234.0.1', '10.234.0.2']);
  assert.equal(pool.allocate('a'), a, 'stable for its task');
  pool.release('a');
  assert.equal(pool.allocate('c'), '10.234.0.3', 'the cursor moves on before a released address comes back');
  assert.equal(pool.allocate('d'), a, 'then the released one is reused');
  assert.equal(pool.size, 3);
});

test('a full range is a clear error, and a release makes room again', () => {
  const pool = new TaskAddressPool({ first: 1, last: 2 });
  pool.allocate('a');
  pool.allocate('b');
  assert.throws(() => pool.allocate('c'), (err: unknown) => err instanceof ClusterError && err.code === 'unavailable' && /all 2 addresses of 10\.234\.0\.0\/15 are held by live tasks; task c gets none/.test(err.message));
  pool.release('a');
  assert.equal(pool.allocate('c'), '10.234.0.1');
});

test('claim keeps stored addresses and refuses one another task holds', () => {
  const pool = new TaskAddressPool();
  assert.equal(pool.claim('a', '10.234.0.7'), true);
  assert.equal(pool.claim('a', '10.234.0.7'), true);
  assert.equal(pool.claim('b', '10.234.0.7'), false);
  assert.equal(pool.claim('b', '10.233.0.7'), false, 'not a task address');
  assert.equal(pool.addressOf('a'), '10.234.0.7');
});

test('only serving tasks of services with ports get an address, one each', () => {
  const pool = new TaskAddressPool();
  const tasks = [
    task('a'),
    task('b'),
    task('c', { health: 'unhealthy' }),
    task('d', { state: 'starting' }),
    task('e', { nodeId: 'down' }),
    task('f', { service: 's_quiet', ports: [] }),
  ];
  const plan = assignTaskAddresses(pool, services, tasks, nodes);
  assert.deepEqual(plan.assigned.map((t) => [t.id, t.address]), [['a', '10.234.0.1'], ['b', '10.234.0.2']]);
  assert.deepEqual(plan.failed, []);
});

test('addresses are stable across passes and restarts, and free once the task stops, finishes or is gone', () => {
  const pool = new TaskAddressPool({ first: 1, last: 4 });
  let tasks = [task('a'), task('b'), task('c')];
  tasks = stored(tasks, assignTaskAddresses(pool, services, tasks, nodes).assigned);
  const first = tasks.map((t) => t.address);
  assert.deepEqual(first, ['10.234.0.1', '10.234.0.2', '10.234.0.3']);
  assert.deepEqual(assignTaskAddresses(pool, services, tasks, nodes).assigned, [], 'nothing new to store');

  // A manager restart: a new pool over the stored tasks keeps every address, and a new task gets a free one.
  const restarted = new TaskAddressPool({ first: 1, last: 4 });
  const plan = assignTaskAddresses(restarted, services, [task('z'), ...tasks], nodes);
  assert.deepEqual(plan.assigned.map((t) => [t.id, t.address]), [['z', '10.234.0.4']]);

  // Unhealthy for a while: the task keeps its address.
  tasks = [{ ...tasks[0]!, health: 'unhealthy' }, tasks[1]!, tasks[2]!];
  assignTaskAddresses(pool, services, tasks, nodes);
  assert.equal(pool.addressOf('a'), '10.234.0.1');

  // b is told to stop, c finished and is deleted: their addresses are free for d and e.
  tasks = [tasks[0]!, { ...tasks[1]!, desiredState: 'shutdown' }, task('d'), task('e')];
  const after = assignTaskAddresses(pool, services, tasks, nodes);
  assert.deepEqual(after.assigned.map((t) => [t.id, t.address]), [['d', '10.234.0.4'], ['e', '10.234.0.2']]);
  assert.equal(pool.size, 3);
  assert.equal(pool.addressOf('b'), undefined);
  assert.equal(pool.addressOf('c'), undefined);
  const held = [...pool.holders()].map((id) => pool.addressOf(id));
  assert.equal(new Set(held).size, held.length, 'no address held twice');
});

test('a full range leaves the tasks it cannot serve in failed', () => {
  const pool = new TaskAddressPool({ first: 1, last: 1 });
  const plan = assignTaskAddresses(pool, services, [task('a'), task('b')], nodes);
  assert.deepEqual(plan.assigned.map((t) => t.id), ['a']);
  assert.deepEqual(plan.failed.map((f) => [f.taskId, f.error.code]), [['b', 'unavailable']]);
});

test('100,000 serving tasks get 100,000 distinct addresses', () => {
  const pool = new TaskAddressPool();
  const tasks = Array.from({ length: 100_000 }, (_, i) => task(`t${i}`));
  const plan = assignTaskAddresses(pool, services, tasks, nodes);
  assert.equal(plan.assigned.length, 100_000);
  assert.equal(new Set(plan.assigned.map((t) => t.address)).size, 100_000);
});

test('a task on the overlay gets no task address: it is reached at its own address there', () => {
  const pool = new TaskAddressPool();
  const onOverlay = task('o1', { networks: [{ network: 's_default', address: '10.128.1.0', mac: '02:42:0a:80:01:00' }] });
  const plan = assignTaskAddresses(pool, services, [onOverlay, task('p1')], nodes);
  assert.deepEqual(plan.assigned.map((t) => t.id), ['p1']);
  assert.equal(pool.size, 1);
});
