import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyTask, isLive, shouldRun, type Task } from './model.js';

// Required<Task>: a field added to Task must be added here, and the
// round-trip below fails until copyTask copies it too.
const full: Required<Task> = {
  id: 'a1', stack: 's', service: 's_web', slot: 3, nodeId: 'n1', desiredState: 'shutdown', state: 'failed', containerId: 'c1',
  error: 'exit 2', exitCode: 2, health: 'unhealthy', specVersion: 7, createdAt: 1_700_000_000_001, updatedAt: 1_700_000_000_002,
  ports: [{ target: 80, protocol: 'tcp', hostPort: 30000 }], address: '10.234.0.9',
  networks: [{ network: 's_default', address: '10.128.1.2', mac: '02:42:0a:80:01:02' }],
  reason: { kind: 'no_suitable_node', refusals: [{ refusal: { kind: 'drained' }, nodes: 2 }] },
};
const { ports: _ports, address: _address, networks: _networks, reason: _reason, ...bare } = full;

test('copyTask copies every field of a task, with and without ports and address', () => {
  const variants: Task[] = [full, bare, { ...bare, ports: full.ports }, { ...bare, address: full.address }, { ...bare, networks: full.networks }, { ...bare, reason: full.reason }];
  for (const t of variants) {
    const c = copyTask(t);
    assert.notEqual(c, t);
    assert.deepEqual(c, t);
    assert.deepEqual(Object.keys(c).sort(), Object.keys(t).sort());
    assert.deepEqual(JSON.parse(JSON.stringify(c)), JSON.parse(JSON.stringify(t)));
  }
});

test('copyTask replaces ports and address when given, and the copy changes apart from the original', () => {
  const ports = [{ target: 443, protocol: 'udp' as const, hostPort: 30001 }];
  assert.deepEqual(copyTask(bare, ports), { ...bare, ports });
  assert.deepEqual(copyTask(bare, undefined, '10.234.0.1'), { ...bare, address: '10.234.0.1' });
  assert.deepEqual(copyTask(full, ports, '10.234.0.2'), { ...full, ports, address: '10.234.0.2' });
  const c = copyTask(full);
  c.state = 'running';
  assert.equal(full.state, 'failed');
});

test('copies of tasks of the same fields list them in one order', () => {
  const shuffled = Object.fromEntries(Object.entries(full).reverse()) as unknown as Task;
  assert.deepEqual(Object.keys(copyTask(shuffled)), Object.keys(copyTask(full)));
});

test('a task is live while it should run, has a node and has not finished', () => {
  const t = (desiredState: Task['desiredState'], state: Task['state'], nodeId: string): Task => ({ ...full, desiredState, state, nodeId });
  assert.equal(isLive(t('running', 'running', 'n1')), true);
  assert.equal(isLive(t('running', 'assigned', 'n1')), true);
  assert.equal(isLive(t('running', 'pending', '')), false, 'no node yet');
  assert.equal(isLive(t('shutdown', 'running', 'n1')), false, 'told to stop');
  for (const state of ['complete', 'failed', 'shutdown', 'rejected', 'orphaned'] as const) assert.equal(isLive(t('running', state, 'n1')), false, state);
  assert.equal(shouldRun(t('running', 'pending', '')), true, 'a task waiting for a node may still serve');
  assert.equal(shouldRun(t('running', 'failed', 'n1')), false);
  assert.equal(shouldRun(t('shutdown', 'running', 'n1')), false);
});
