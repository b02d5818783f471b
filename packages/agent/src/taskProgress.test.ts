import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskState } from '@cluster/core';
import { movesForward } from './taskProgress.js';

test('a task moves forward through its states, one step or several at once', () => {
  const path: TaskState[] = ['new', 'pending', 'assigned', 'preparing', 'starting', 'running', 'complete'];
  for (let i = 0; i < path.length; i++) {
    for (let j = i + 1; j < path.length; j++) assert.equal(movesForward(path[i], path[j]!), true, `${path[i]} -> ${path[j]}`);
  }
  assert.equal(movesForward(undefined, 'running'), true, 'a task never seen may be seen in any state');
  assert.equal(movesForward('preparing', 'rejected'), true);
  assert.equal(movesForward('starting', 'failed'), true);
  assert.equal(movesForward('running', 'shutdown'), true);
});

test('a late "starting" after "running" and any step back are refused', () => {
  assert.equal(movesForward('running', 'starting'), false);
  assert.equal(movesForward('running', 'preparing'), false);
  assert.equal(movesForward('starting', 'preparing'), false);
  assert.equal(movesForward('assigned', 'pending'), false);
});

test('a finished task keeps its outcome: no "running" after "failed", no other end either', () => {
  const terminal: TaskState[] = ['complete', 'failed', 'shutdown', 'rejected', 'orphaned'];
  for (const from of terminal) {
    for (const to of ['starting', 'running', ...terminal] as TaskState[]) {
      assert.equal(movesForward(from, to), from === to, `${from} -> ${to}`);
    }
  }
});

test('the same state again is allowed: its health, ports or error may have changed', () => {
  for (const s of ['preparing', 'starting', 'running', 'failed'] as TaskState[]) assert.equal(movesForward(s, s), true, s);
});
