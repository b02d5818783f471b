import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskStatus__Output } from '@cluster/api';
import type { Task } from '@cluster/core';
import { applyStatus } from './convert.js';

const task: Task = {
  id: 't1', stack: 's', service: 's_web', slot: 1, nodeId: 'n1', desiredState: 'running', state: 'assigned', containerId: '',
  error: '', exitCode: 0, health: '', specVersion: 1, createdAt: 1, updatedAt: 1,
};
const status = (o: Partial<TaskStatus__Output> = {}): TaskStatus__Output => ({
  taskId: 't1', state: 'running', containerId: 'c1', error: '', exitCode: 0, health: '', observedAtMs: 0, ports: [], networks: [], ...o,
});

test('applyStatus applies an observation to a copy and keeps the rest of the task', () => {
  const next = applyStatus(task, status({ health: 'healthy', ports: [{ target: 443, protocol: 'tcp', hostPort: 30001 }, { target: 80, protocol: 'tcp', hostPort: 30000 }] }), 5);
  assert.deepEqual(next, {
    ...task, state: 'running', containerId: 'c1', health: 'healthy', updatedAt: 5,
    ports: [{ target: 80, protocol: 'tcp', hostPort: 30000 }, { target: 443, protocol: 'tcp', hostPort: 30001 }],
  });
  assert.equal(task.state, 'assigned');
});

test('applyStatus changes nothing for the same observation, an unknown state, and keeps the stored ports when they are the same', () => {
  const running = applyStatus(task, status({ ports: [{ target: 80, protocol: 'tcp', hostPort: 30000 }] }), 5);
  assert.ok(running);
  assert.equal(applyStatus(running, status({ ports: [{ target: 80, protocol: 'tcp', hostPort: 30000 }] }), 6), undefined);
  assert.equal(applyStatus(running, status({ state: 'exploded' }), 6), undefined);
  const failed = applyStatus(running, status({ state: 'failed', exitCode: 3, error: 'exit 3', ports: [{ target: 80, protocol: 'tcp', hostPort: 30000 }] }), 7);
  assert.equal(failed?.ports, running.ports);
  assert.deepEqual(failed, { ...running, state: 'failed', exitCode: 3, error: 'exit 3', updatedAt: 7 });
});

test('applyStatus reads an unknown health as none and malformed ports as absent', () => {
  const next = applyStatus(task, status({ health: 'sick', ports: [{ target: 0, protocol: 'tcp', hostPort: 1 }, { target: 80, protocol: 'sctp', hostPort: 2 }] }), 5);
  assert.equal(next?.health, '');
  assert.deepEqual(next?.ports, []);
});
