import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeExecutor, makeAssignment } from './fake-executor.js';
import { Worker } from './worker.js';

async function rig(fake: FakeExecutor): Promise<Worker> {
  const worker = new Worker({ executor: fake, nodeId: 'node1', onStatus: () => undefined, batchMs: 1 });
  await worker.start();
  return worker;
}

test('after the engine comes back, a task moved away meanwhile is stopped and a container no task owns is removed', async () => {
  const fake = new FakeExecutor();
  const worker = await rig(fake);
  const a = makeAssignment({ task: { id: 't1' } });
  await worker.setAssignments([a]);
  await worker.idle();
  assert.equal(fake.byTask('t1').filter((c) => c.running).length, 1);
  // The engine goes away; the manager moves t1 elsewhere (orphaned, to shut down); the stop fails.
  fake.engineDown = true;
  await worker.applyChanges([{ ...a, task: { ...a.task, desiredState: 'shutdown', state: 'orphaned' } }], []);
  await worker.idle();
  assert.equal(fake.byTask('t1').length, 1, 'nothing could be stopped while the engine was away');
  // A container of a task this node was never told of survived too.
  fake.add({ taskId: 't9', running: true });
  fake.engineDown = false;
  await worker.resync();
  await worker.idle();
  assert.deepEqual(fake.byTask('t1'), []);
  assert.deepEqual(fake.byTask('t9'), []);
  assert.equal(worker.observations().find((o) => o.taskId === 't1')?.state, 'shutdown');
  await worker.stop();
});

test('a task still wanted keeps its container across the engine coming back', async () => {
  const fake = new FakeExecutor();
  const worker = await rig(fake);
  await worker.setAssignments([makeAssignment({ task: { id: 't1' } })]);
  await worker.idle();
  const [c] = fake.byTask('t1');
  await worker.resync();
  await worker.idle();
  assert.deepEqual(fake.byTask('t1').map((x) => [x.containerId, x.running, x.starts]), [[c!.containerId, true, 1]]);
  assert.equal(worker.observations().find((o) => o.taskId === 't1')?.state, 'running');
  await worker.stop();
});

test('before the first full set, resync removes nothing it adopted', async () => {
  const fake = new FakeExecutor();
  fake.add({ taskId: 't5', running: true });
  const worker = await rig(fake);
  await worker.resync();
  await worker.idle();
  assert.equal(fake.byTask('t5').length, 1);
  await worker.stop();
});
