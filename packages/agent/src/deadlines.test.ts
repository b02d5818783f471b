import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterError } from '@cluster/core';
import { FakeExecutor, makeAssignment } from './fake-executor.js';
import { withDeadlines, within } from './deadlines.js';
import { Worker } from './worker.js';

test('a call that does not answer within its deadline fails with code timeout and says which call', async () => {
  const err = await within('start container abc', 20, () => new Promise(() => undefined)).catch((e: unknown) => e);
  assert.ok(err instanceof ClusterError);
  assert.equal(err.code, 'timeout');
  assert.equal(err.retryable, true);
  assert.match(err.message, /^docker: start container abc: no answer from the engine within 20 ms/);
});

test('a call that answers in time keeps its answer and its own error', async () => {
  assert.equal(await within('x', 1000, () => Promise.resolve(7)), 7);
  const own = new ClusterError('invalid_argument', 'bad');
  assert.equal(await within('x', 1000, () => Promise.reject(own)).catch((e: unknown) => e), own);
});

/** StuckStart is a FakeExecutor whose container starts never answer. */
class StuckStart extends FakeExecutor {
  override start(): Promise<void> {
    return new Promise(() => undefined);
  }
}

test('a task whose start hangs is reported failed with the reason, and other tasks go on', async () => {
  const stuck = new StuckStart();
  const batches: string[] = [];
  const worker = new Worker({ executor: withDeadlines(stuck, { callMs: 30 }), nodeId: 'node1', onStatus: (b) => batches.push(...b.map((o) => `${o.taskId} ${o.state} ${o.error}`)), batchMs: 1, concurrency: 1 });
  await worker.start();
  await worker.setAssignments([makeAssignment({ task: { id: 't1' } }), makeAssignment({ task: { id: 't2', slot: 2 } })]);
  await worker.idle();
  const last = (id: string) => worker.observations().find((o) => o.taskId === id);
  for (const id of ['t1', 't2']) {
    assert.equal(last(id)?.state, 'failed', `${id}: ${batches.join('; ')}`);
    assert.match(last(id)?.error ?? '', /start container .*: no answer from the engine within 30 ms/);
  }
  await worker.stop();
});

test('a stop gets the grace period on top of the call deadline', async () => {
  const fake = new FakeExecutor();
  let stopped = false;
  fake.stop = () => new Promise<void>((resolve) => setTimeout(() => { stopped = true; resolve(); }, 60));
  await withDeadlines(fake, { callMs: 30 }).stop('c1', 100);
  assert.ok(stopped);
});
