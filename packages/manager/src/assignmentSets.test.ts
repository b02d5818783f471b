import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Task } from '@cluster/core';
import { loadClusterProto } from '@cluster/api';
import { assignmentSets } from './assignmentSets.js';

function task(i: number, service: string, specVersion = 1): Task {
  return {
    id: `t${i}`, stack: 's', service, slot: i, nodeId: 'n1', desiredState: 'running', state: 'assigned', containerId: '',
    error: '', exitCode: 0, health: '', specVersion, createdAt: 0, updatedAt: 0,
  };
}

/** encodedSize is the real protobuf size of an assignment message, as the session sends it. */
function encodedSize(m: object): number {
  // The generated service carries the serializer of the Session stream's responses.
  const service = (loadClusterProto().Dispatcher as unknown as { service: { Session: { responseSerialize: (v: unknown) => Buffer } } }).service;
  return service.Session.responseSerialize({ assignments: m }).length;
}

test('a 300 KB spec used by 16 replicas is sent once, not 16 times', () => {
  const spec = JSON.stringify({ name: 'web', configs: [{ dataBase64: 'A'.repeat(400_000) }] });
  const tasks = Array.from({ length: 16 }, (_, i) => task(i + 1, 's_web'));
  let asked = 0;
  const sets = assignmentSets({ type: 'FULL', tasks, specJson: () => { asked++; return spec; } });
  assert.equal(sets.length, 1);
  const [m] = sets;
  assert.equal(m!.specs!.length, 1);
  assert.equal(m!.more, false);
  assert.ok(m!.tasks!.every((t) => t.specJson === ''));
  assert.equal(asked, 1);
  assert.ok(encodedSize(m!) < 450_000, `one message of ${encodedSize(m!)} bytes`);
});

test('a large set is cut into messages under the bound, each with the specs of its tasks, the last without more', () => {
  const specs = new Map([['s_a', JSON.stringify({ name: 'a', env: { X: 'x'.repeat(30_000) } })], ['s_b', JSON.stringify({ name: 'b' })]]);
  const tasks: Task[] = [];
  for (let i = 0; i < 3000; i++) tasks.push(task(i, i % 2 === 0 ? 's_a' : 's_b'));
  const removed = Array.from({ length: 500 }, (_, i) => `gone-${i}`);
  const chunkBytes = 64 * 1024;
  const sets = assignmentSets({ type: 'INCREMENTAL', tasks, removed, purgeVolumes: ['old'], specJson: (t) => specs.get(t.service)!, chunkBytes });
  assert.ok(sets.length > 5, `${sets.length} messages`);
  sets.forEach((m, i) => {
    const last = i === sets.length - 1;
    assert.equal(m.more, !last);
    assert.equal(m.type, 'INCREMENTAL');
    assert.deepEqual(m.purgeVolumes, last ? ['old'] : []);
    assert.ok(encodedSize(m) <= chunkBytes, `message ${i}: ${encodedSize(m)} bytes over ${chunkBytes}`);
    const inMessage = new Set(m.specs!.map((s) => s.service));
    assert.equal(inMessage.size, m.specs!.length, 'each spec once per message');
    for (const t of m.tasks!) assert.ok(inMessage.has(t.service!), `task ${t.id} has its spec in its message`);
  });
  assert.deepEqual(sets.flatMap((m) => m.tasks!.map((t) => t.id)), tasks.map((t) => t.id), 'every task once, in order');
  assert.deepEqual(sets.flatMap((m) => m.removed!), removed);
});

test('a spec larger than the bound goes alone with its tasks; two versions of a service carry two specs', () => {
  const big = JSON.stringify({ name: 'big', x: 'y'.repeat(200_000) });
  const sets = assignmentSets({
    type: 'FULL',
    tasks: [task(1, 's_small'), task(2, 's_big'), task(3, 's_big', 2), task(4, 's_small')],
    specJson: (t) => (t.service === 's_big' ? `${big}${t.specVersion}` : '{"name":"small"}'),
    chunkBytes: 100_000,
  });
  assert.deepEqual(sets.map((m) => m.tasks!.map((t) => t.id)), [['t1'], ['t2'], ['t3'], ['t4']]);
  assert.deepEqual(sets.map((m) => m.specs!.map((s) => `${s.service}@${s.specVersion}`)), [['s_small@1'], ['s_big@1'], ['s_big@2'], ['s_small@1']]);
});

test('an empty set is one message', () => {
  const sets = assignmentSets({ type: 'FULL', tasks: [], purgeVolumes: ['x'], specJson: () => '{}' });
  assert.deepEqual(sets, [{ type: 'FULL', tasks: [], removed: [], purgeVolumes: ['x'], specs: [], more: false }]);
});
