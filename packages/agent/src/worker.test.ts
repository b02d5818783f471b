import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ManagedContainer, Observation } from './executor.js';
import { FakeExecutor, makeAssignment, type FakeExecutorOptions } from './fake-executor.js';
import { Worker, type WorkerOptions } from './worker.js';

interface Rig {
  fake: FakeExecutor;
  worker: Worker;
  batches: Observation[][];
  obs(taskId: string): Observation | undefined;
}

async function rig(opts: FakeExecutorOptions = {}, workerOpts: Partial<WorkerOptions> = {}, fake = new FakeExecutor(opts)): Promise<Rig> {
  const batches: Observation[][] = [];
  const worker = new Worker({ executor: fake, nodeId: 'node1', onStatus: (b) => batches.push(b), now: () => 42, batchMs: 5, ...workerOpts });
  await worker.start();
  return { fake, worker, batches, obs: (id) => worker.observations().find((o) => o.taskId === id) };
}

/** inFlight counts the calls of an async method in flight, each held until `wait` resolves; `max` is the most seen at once. */
function inFlight<K extends 'ensureImage' | 'stop'>(fake: FakeExecutor, method: K, wait: () => Promise<unknown>): { now: number; max: number } {
  const seen = { now: 0, max: 0 };
  const original = (fake[method] as (...args: unknown[]) => Promise<void>).bind(fake);
  (fake as unknown as Record<K, (...args: unknown[]) => Promise<void>>)[method] = async (...args: unknown[]) => {
    seen.now++;
    seen.max = Math.max(seen.max, seen.now);
    await wait();
    seen.now--;
    return original(...args);
  };
  return seen;
}

test('a desired running task becomes a running container', async () => {
  const r = await rig();
  await r.worker.setAssignments([makeAssignment({ task: { id: 't1' } })]);
  await r.worker.idle();
  const [c, ...more] = r.fake.byTask('t1');
  assert.equal(more.length, 0);
  assert.ok(c?.running);
  assert.deepEqual(r.obs('t1'), { taskId: 't1', state: 'running', containerId: c.containerId, error: '', exitCode: 0, health: '', observedAt: 42 });
  assert.deepEqual(r.batches.flat().at(-1)?.state, 'running');
  await r.worker.stop();
});

test('the image is asked for with the service\'s pull policy, platform and registry credentials', async () => {
  const r = await rig();
  const auth = { serverAddress: '127.0.0.1:5000', username: 'u', password: 'p' };
  await r.worker.setAssignments([makeAssignment({ task: { id: 't1' }, spec: { image: '127.0.0.1:5000/app', pullPolicy: 'always', platform: 'linux/arm64', pullAuth: auth } })]);
  await r.worker.idle();
  assert.deepEqual(r.fake.pulls, [{ image: '127.0.0.1:5000/app', policy: 'always', platform: 'linux/arm64', auth }]);
  await r.worker.stop();
});

/** GatedInspect is a FakeExecutor whose inspections wait until open() is called. */
class GatedInspect extends FakeExecutor {
  private opened = false;
  private readonly waiting: (() => void)[] = [];
  override async inspect(containerId: string): Promise<ManagedContainer | undefined> {
    if (!this.opened) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return super.inspect(containerId);
  }
  open(): void {
    this.opened = true;
    for (const w of this.waiting.splice(0)) w();
  }
}

test('a task without ports is reported running at its start, without waiting for an inspection', async () => {
  const fake = new GatedInspect();
  const r = await rig({}, {}, fake);
  const applied = r.worker.setAssignments([makeAssignment()]);
  const first = await Promise.race([applied.then(() => 'applied'), new Promise((resolve) => setTimeout(resolve, 1000, 'waiting for the inspection'))]);
  assert.equal(first, 'applied');
  assert.equal(r.obs('t1')?.state, 'running');
  fake.open();
  await r.worker.stop();
});

test('a task with ports is reported running once the inspection after its start read the bound ports', async () => {
  const fake = new GatedInspect();
  const r = await rig({}, {}, fake);
  const ports = [{ target: 80, published: 8080, protocol: 'tcp' as const, mode: 'ingress' as const }];
  const applied = r.worker.setAssignments([makeAssignment({ spec: { ports } })]);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(r.obs('t1')?.state, 'starting');
  fake.open();
  await applied;
  assert.equal(r.obs('t1')?.state, 'running');
  assert.ok(fake.calls.inspect >= 1);
  await r.worker.stop();
});

test('a crashed container is reported failed with its exit code and not restarted', async () => {
  const r = await rig();
  await r.worker.setAssignments([makeAssignment()]);
  const id = r.fake.byTask('t1')[0]!.containerId;
  r.fake.crash(id, 3);
  await r.worker.idle();
  assert.deepEqual({ ...r.obs('t1'), observedAt: 0 }, { taskId: 't1', state: 'failed', containerId: id, error: 'exited with code 3', exitCode: 3, health: '', observedAt: 0 });
  // The same full set again must not restart it: the manager replaces tasks.
  await r.worker.setAssignments([makeAssignment()]);
  await r.worker.idle();
  assert.equal(r.fake.calls.start, 1);
  assert.equal(r.fake.containers.get(id)?.running, false, 'the exited container stays until shutdown');
  await r.worker.stop();
});

test('an exit with code 0 is reported complete', async () => {
  const r = await rig();
  await r.worker.setAssignments([makeAssignment()]);
  r.fake.crash(r.fake.byTask('t1')[0]!.containerId, 0);
  await r.worker.idle();
  assert.equal(r.obs('t1')?.state, 'complete');
  assert.equal(r.obs('t1')?.exitCode, 0);
  await r.worker.stop();
});

test('a restarted worker adopts the running container without restarting it', async () => {
  const fake = new FakeExecutor();
  const first = await rig({}, {}, fake);
  await first.worker.setAssignments([makeAssignment()]);
  await first.worker.stop();
  const id = fake.byTask('t1')[0]!.containerId;
  assert.equal(fake.containers.get(id)?.running, true, 'stop leaves containers running');

  const second = await rig({}, {}, fake);
  assert.equal(second.obs('t1')?.state, 'running', 'the hello already knows the adopted task');
  await second.worker.setAssignments([makeAssignment({ task: { state: 'running' } })]);
  await second.worker.idle();
  assert.equal(fake.calls.create, 1);
  assert.equal(fake.calls.start, 1);
  assert.equal(fake.containers.get(id)?.starts, 1);
  assert.equal(second.obs('t1')?.containerId, id);
  await second.worker.stop();
});

test('a container found exited on start is reported failed, never restarted', async () => {
  const fake = new FakeExecutor();
  fake.add({ taskId: 't1', running: false, exitCode: 2 });
  const r = await rig({}, {}, fake);
  assert.equal(r.obs('t1')?.state, 'failed');
  await r.worker.setAssignments([makeAssignment({ task: { state: 'running' } })]);
  await r.worker.idle();
  assert.equal(fake.calls.start, 0);
  await r.worker.stop();
});

test('a container created but never started is started on adoption', async () => {
  const fake = new FakeExecutor();
  const c = fake.add({ taskId: 't1', running: false, startedAt: '' });
  const r = await rig({}, {}, fake);
  await r.worker.setAssignments([makeAssignment({ task: { state: 'starting' } })]);
  await r.worker.idle();
  assert.equal(fake.calls.create, 0);
  assert.equal(c.running, true);
  assert.equal(r.obs('t1')?.state, 'running');
  await r.worker.stop();
});

test('the full set removes labelled containers of other tasks', async () => {
  const fake = new FakeExecutor();
  const orphan = fake.add({ taskId: 'gone', stack: 'old' });
  const r = await rig({}, {}, fake);
  await r.worker.setAssignments([makeAssignment()]);
  await r.worker.idle();
  assert.equal(fake.containers.has(orphan.containerId), false);
  assert.equal(fake.byTask('t1').length, 1);
  assert.equal(r.obs('gone'), undefined);
  assert.deepEqual(fake.removedStacks, ['old']);
  await r.worker.stop();
});

test('tasks assigned by changes that come while a full set is applied are kept running', async () => {
  // A restarted agent: the full set holds the tasks to stop, and the changes right after it assign their replacements.
  const r = await rig();
  const full = r.worker.setAssignments([makeAssignment({ task: { id: 'old', desiredState: 'shutdown', state: 'running' } })]);
  const changes = r.worker.applyChanges([makeAssignment({ task: { id: 'new' } })], []);
  await Promise.all([full, changes]);
  await r.worker.idle();
  const [c, ...more] = r.fake.byTask('new');
  assert.equal(more.length, 0);
  assert.ok(c?.running, 'the replacement runs');
  assert.equal(r.fake.calls.stop, 0);
  assert.equal(r.obs('new')?.state, 'running');
  await r.worker.stop();
});

test('an orphan appearing after start is removed by the next full set', async () => {
  const r = await rig();
  const late = r.fake.add({ taskId: 'late' });
  await r.worker.setAssignments([]);
  assert.equal(r.fake.containers.has(late.containerId), false);
  await r.worker.stop();
});

test('desired shutdown stops and removes the container and reports shutdown', async () => {
  const r = await rig();
  await r.worker.setAssignments([makeAssignment({ spec: { stopGracePeriodMs: 1234, stopSignal: 'SIGINT' } })]);
  const stops: unknown[] = [];
  const stop = r.fake.stop.bind(r.fake);
  r.fake.stop = async (id, grace, signal) => {
    stops.push([grace, signal]);
    return stop(id, grace, signal);
  };
  await r.worker.applyChanges([makeAssignment({ task: { desiredState: 'shutdown', state: 'running' }, spec: { stopGracePeriodMs: 1234, stopSignal: 'SIGINT' } })], []);
  await r.worker.idle();
  assert.deepEqual(stops, [[1234, 'SIGINT']]);
  assert.equal(r.fake.containers.size, 0);
  assert.equal(r.obs('t1')?.state, 'shutdown');
  assert.equal(r.obs('t1')?.containerId, '');
  assert.deepEqual(r.fake.removedStacks, ['s']);
  await r.worker.stop();
});

test('a failed task keeps its outcome when shut down, and its container is removed', async () => {
  const r = await rig();
  await r.worker.setAssignments([makeAssignment()]);
  r.fake.crash(r.fake.byTask('t1')[0]!.containerId, 1);
  await r.worker.idle();
  await r.worker.applyChanges([makeAssignment({ task: { desiredState: 'shutdown', state: 'failed' } })], []);
  await r.worker.idle();
  assert.equal(r.fake.containers.size, 0);
  assert.equal(r.obs('t1')?.state, 'failed');
  await r.worker.stop();
});

test('a task removed from the set is stopped and removed without a report', async () => {
  const r = await rig();
  await r.worker.setAssignments([makeAssignment({ task: { id: 'a' } }), makeAssignment({ task: { id: 'b' } })]);
  await r.worker.idle();
  const reported = r.batches.flat().length;
  await r.worker.applyChanges([], ['a']);
  await r.worker.idle();
  assert.equal(r.fake.byTask('a').length, 0);
  assert.equal(r.fake.byTask('b').length, 1);
  assert.equal(r.batches.flat().length, reported);
  assert.deepEqual(r.fake.removedStacks, [], 'the stack still has a task here');
  await r.worker.applyChanges([], ['b']);
  assert.deepEqual(r.fake.removedStacks, ['s']);
  await r.worker.stop();
});

test('a missing image rejects the task with the error and is not retried', async () => {
  const r = await rig({ images: [] });
  await r.worker.setAssignments([makeAssignment({ spec: { image: 'cluster-test/absent:1' } })]);
  await r.worker.idle();
  const o = r.obs('t1');
  assert.equal(o?.state, 'rejected');
  assert.match(o?.error ?? '', /cluster-test\/absent:1/);
  await r.worker.setAssignments([makeAssignment({ spec: { image: 'cluster-test/absent:1' } })]);
  await r.worker.idle();
  assert.equal(r.fake.calls.ensureImage, 1);
  assert.equal(r.fake.calls.create, 0);
  await r.worker.stop();
});

test('health changes are reported', async () => {
  const r = await rig();
  const hc = { test: ['CMD', 'true'], intervalMs: 1000, timeoutMs: 1000, retries: 1, startPeriodMs: 0 };
  await r.worker.setAssignments([makeAssignment({ spec: { healthcheck: hc } })]);
  await r.worker.idle();
  assert.equal(r.obs('t1')?.health, 'starting');
  const id = r.fake.byTask('t1')[0]!.containerId;
  r.fake.setHealth(id, 'healthy');
  await r.worker.idle();
  assert.equal(r.obs('t1')?.health, 'healthy');
  r.fake.setHealth(id, 'unhealthy');
  await r.worker.idle();
  assert.deepEqual([r.obs('t1')?.state, r.obs('t1')?.health], ['running', 'unhealthy']);
  await r.worker.stop();
});

test('changes of many tasks are reported in one batch', async () => {
  // A long window makes the test independent of machine speed; idle() sends what is pending.
  const r = await rig({}, { batchMs: 60_000 });
  await r.worker.setAssignments(Array.from({ length: 50 }, (_, i) => makeAssignment({ task: { id: `t${i}`, slot: i + 1 } })));
  assert.equal(r.batches.length, 0, 'nothing is sent before the window closes');
  await r.worker.idle();
  assert.equal(r.batches.length, 1);
  assert.equal(r.batches[0]?.length, 50);
  assert.ok(r.batches[0]?.every((o) => o.state === 'running'));
  await r.worker.stop();
});

test('operations of different tasks are bounded; those of one task are serialized', async () => {
  const fake = new FakeExecutor();
  const ensures = inFlight(fake, 'ensureImage', () => new Promise((resolve) => setTimeout(resolve, 2)));
  const r = await rig({}, { concurrency: 3 }, fake);
  await r.worker.setAssignments(Array.from({ length: 12 }, (_, i) => makeAssignment({ task: { id: `t${i}` } })));
  assert.equal(ensures.max, 3);
  assert.equal(fake.containers.size, 12);
  // A shutdown queued right behind a start waits for it, then removes the container.
  const start = r.worker.applyChanges([makeAssignment({ task: { id: 'x' } })], []);
  const shut = r.worker.applyChanges([makeAssignment({ task: { id: 'x', desiredState: 'shutdown' } })], []);
  await Promise.all([start, shut]);
  await r.worker.idle();
  assert.equal(fake.byTask('x').length, 0);
  assert.equal(r.obs('x')?.state, 'shutdown');
  await r.worker.stop();
});

test('a task the manager saw running whose container is gone is reported failed', async () => {
  const r = await rig();
  await r.worker.setAssignments([makeAssignment({ task: { state: 'running' } })]);
  await r.worker.idle();
  assert.equal(r.obs('t1')?.state, 'failed');
  assert.equal(r.fake.calls.create, 0);
  await r.worker.stop();
});

test('a task with stop signal SIGKILL is removed at once, without a separate stop', async () => {
  const r = await rig();
  const a = makeAssignment({ task: { id: 't1' }, spec: { stopSignal: 'SIGKILL' } });
  await r.worker.setAssignments([a]);
  await r.worker.idle();
  await r.worker.applyChanges([{ ...a, task: { ...a.task, desiredState: 'shutdown', state: 'running' } }], []);
  await r.worker.idle();
  assert.equal(r.obs('t1')?.state, 'shutdown');
  assert.deepEqual([r.fake.calls.stop, r.fake.calls.remove, r.fake.byTask('t1').length], [0, 1, 0]);
  await r.worker.stop();
});

test('a task with another stop signal is stopped with it before it is removed', async () => {
  const r = await rig();
  const a = makeAssignment({ task: { id: 't1' }, spec: { stopSignal: 'SIGINT' } });
  await r.worker.setAssignments([a]);
  await r.worker.idle();
  await r.worker.applyChanges([], ['t1']);
  await r.worker.idle();
  assert.deepEqual([r.fake.calls.stop, r.fake.calls.remove, r.fake.byTask('t1').length], [1, 1, 0]);
  await r.worker.stop();
});

test('shutdowns are not held to the bound of starts: many tasks drain and stop side by side', async () => {
  const fake = new FakeExecutor();
  let releaseStops!: () => void;
  const gate = new Promise<void>((resolve) => (releaseStops = resolve));
  const stops = inFlight(fake, 'stop', () => gate);
  const r = await rig({}, { concurrency: 2, drainMs: 5 }, fake);
  const tasks = Array.from({ length: 12 }, (_, i) => makeAssignment({ task: { id: `t${i}` } }));
  await r.worker.setAssignments(tasks);
  await r.worker.idle();
  assert.equal(fake.containers.size, 12);
  // Six told to shut down, six removed from the set: all twelve wait in the engine's stop at once.
  const done = r.worker.applyChanges(
    tasks.slice(0, 6).map((a) => ({ ...a, task: { ...a.task, desiredState: 'shutdown' as const, state: 'running' as const } })),
    tasks.slice(6).map((a) => a.task.id),
  );
  for (let i = 0; i < 200 && stops.now < 12; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(stops.max, 12);
  releaseStops();
  await done;
  await r.worker.idle();
  assert.equal(fake.containers.size, 0);
  assert.deepEqual(tasks.slice(0, 6).map((a) => r.obs(a.task.id)?.state), Array(6).fill('shutdown'));
  await r.worker.stop();
});

test('stopConcurrency bounds the shutdowns in flight', async () => {
  const fake = new FakeExecutor();
  const stops = inFlight(fake, 'stop', () => new Promise((resolve) => setTimeout(resolve, 2)));
  const r = await rig({}, { concurrency: 2, stopConcurrency: 4 }, fake);
  const tasks = Array.from({ length: 12 }, (_, i) => makeAssignment({ task: { id: `t${i}` } }));
  await r.worker.setAssignments(tasks);
  await r.worker.idle();
  await r.worker.applyChanges([], tasks.map((a) => a.task.id));
  await r.worker.idle();
  assert.equal(stops.max, 4);
  assert.equal(fake.containers.size, 0);
  await r.worker.stop();
});

/** StaleInspect is a FakeExecutor whose inspections, once stale() is called, show each container as it was before its start. */
class StaleInspect extends FakeExecutor {
  private readonly before = new Set<string>();
  override async inspect(containerId: string): Promise<ManagedContainer | undefined> {
    const c = await super.inspect(containerId);
    return c && this.before.has(containerId) ? { ...c, running: false, startedAt: '', ports: [], networks: [] } : c;
  }
  stale(containerId: string): void {
    this.before.add(containerId);
  }
  fresh(containerId: string): void {
    this.before.delete(containerId);
  }
}

test('a task never moves backwards: a late "starting" read after "running" is not reported', async () => {
  const fake = new StaleInspect();
  const r = await rig({}, {}, fake);
  await r.worker.setAssignments([makeAssignment()]);
  await r.worker.idle();
  const id = fake.byTask('t1')[0]!.containerId;
  assert.equal(r.obs('t1')?.state, 'running');
  const sent = r.batches.flat().length;
  fake.stale(id);
  // An engine event makes the worker read the container again: it shows "never started".
  fake.setHealth(id, '');
  await r.worker.idle();
  assert.equal(r.obs('t1')?.state, 'running');
  assert.deepEqual(r.batches.flat().slice(sent).map((o) => o.state), [], 'nothing reported');
  // The task still moves forward: its exit is reported.
  fake.fresh(id);
  fake.crash(id, 4);
  await r.worker.idle();
  assert.equal(r.obs('t1')?.state, 'failed');
  assert.equal(r.obs('t1')?.exitCode, 4);
  await r.worker.stop();
});
