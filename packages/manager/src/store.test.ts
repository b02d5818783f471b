import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Task } from '@cluster/core';
import { SqliteStore } from './sqliteStore.js';

const dir = mkdtempSync(join(tmpdir(), 'store-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const task: Task = {
  id: 't1', stack: 's', service: 's_web', slot: 1, nodeId: 'n1', desiredState: 'running', state: 'assigned', containerId: '', error: '', exitCode: 0,
  health: '', specVersion: 1, createdAt: 0, updatedAt: 0,
};

/** onDisk reads a task as a manager started now would (a second connection to the file). */
function onDisk(path: string, id: string): Task | undefined {
  const other = SqliteStore.open(path);
  try {
    return other.task(id);
  } finally {
    other.close();
  }
}

test('deferred writes are in memory at once and on disk within the flush window, the last state of a task once', async () => {
  const path = join(dir, 'a.db');
  const store = SqliteStore.open(path);
  try {
    store.update({ putTasks: [task] });
    store.putTasksSoon([{ ...task, state: 'preparing' }]);
    store.putTasksSoon([{ ...task, state: 'starting' }]);
    store.putTasksSoon([{ ...task, state: 'running', containerId: 'c1' }]);
    assert.equal(store.task('t1')?.state, 'running', 'memory has the last state at once');
    assert.equal(onDisk(path, 't1')?.state, 'assigned', 'the disk has it only after the window');
    await sleep(300);
    assert.deepEqual(onDisk(path, 't1'), { ...task, state: 'running', containerId: 'c1' });
  } finally {
    store.close();
  }
});

test('a transactional write takes the deferred ones first; close writes what is left', () => {
  const path = join(dir, 'b.db');
  const store = SqliteStore.open(path);
  store.update({ putTasks: [task, { ...task, id: 't2', slot: 2 }] });
  store.putTasksSoon([{ ...task, state: 'running' }]);
  store.update({ putTasks: [{ ...task, id: 't3', slot: 3 }] });
  assert.equal(onDisk(path, 't1')?.state, 'running', 'written with the next transaction');
  store.putTasksSoon([{ ...task, id: 't2', slot: 2, state: 'failed' }]);
  store.close();
  assert.equal(onDisk(path, 't2')?.state, 'failed', 'written by close');
});
