import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observation } from './executor.js';
import { PortProblems } from './portProblems.js';

const obs = (taskId: string, state: Observation['state'], error = ''): Observation => ({ taskId, state, containerId: 'c', error, exitCode: 0, health: '', observedAt: 0 });

test('running tasks of a service whose published port is not bound carry the problem as their error; others are left as they are', () => {
  const services: Record<string, string> = { t1: 's_web', t2: 's_web', t3: 's_db' };
  const p = new PortProblems((id) => services[id]);
  assert.deepEqual([...p.set(new Map([['s_web', 'published port 80/tcp cannot be bound on 10.0.0.1: another process holds it']]))], ['s_web']);
  const out = p.decorate([obs('t1', 'running'), obs('t2', 'starting'), obs('t3', 'running'), obs('t9', 'running'), obs('t1', 'running', 'own error')]);
  assert.deepEqual(out.map((o) => o.error), ['published port 80/tcp cannot be bound on 10.0.0.1: another process holds it', '', '', '', 'own error']);
  assert.deepEqual([...p.set(new Map([['s_web', 'published port 80/tcp cannot be bound on 10.0.0.1: another process holds it']]))], [], 'the same problem is no change');
  assert.deepEqual([...p.set(new Map())], ['s_web'], 'a problem that went is a change');
  assert.equal(p.decorate([obs('t1', 'running')])[0]!.error, '');
});
