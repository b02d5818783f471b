import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Control } from '../client.js';
import type { Io } from '../io.js';
import { pollIntervalMs, waitConverged } from './deploy.js';

const io: Io = { out: () => undefined, err: () => undefined, env: {}, cwd: '/' };

test('the poll interval is 50 ms for small stacks, grows with the desired tasks and stops at 250 ms', () => {
  assert.equal(pollIntervalMs(1), 50);
  assert.equal(pollIntervalMs(30), 50);
  assert.equal(pollIntervalMs(120), 120);
  assert.equal(pollIntervalMs(250), 250);
  assert.equal(pollIntervalMs(100000), 250);
});

/** fakeControl answers ListServices and ListTasks for one service that converges after `convergeAfterMs`. */
function fakeControl(convergeAfterMs: number, desired: number): { control: Control; calls: Record<string, number[]> } {
  const start = Date.now();
  const calls: Record<string, number[]> = { ListServices: [], ListTasks: [] };
  const control: Control = {
    address: 'fake',
    async call<Res>(method: string): Promise<Res> {
      const at = Date.now() - start;
      calls[method]!.push(at);
      if (method === 'ListServices') {
        const done = at >= convergeAfterMs;
        return { services: [{ name: 's_app', running: done ? desired : 0, desired, converged: done, error: '', specVersion: 1 }] } as Res;
      }
      return { tasks: [] } as Res;
    },
    upload: () => Promise.reject(new Error('not used')),
    close: () => undefined,
  };
  return { control, calls };
}

test('a small stack is looked at every 50 ms, its tasks at most every 250 ms', async () => {
  const { control, calls } = fakeControl(600, 10);
  const t0 = Date.now();
  await waitConverged(io, control, 's', t0, 10000);
  const took = Date.now() - t0;
  // Converged at 600 ms: seen within one interval (and some slack for a loaded machine).
  assert.ok(took < 600 + 150, `returned ${took} ms after the start`);
  assert.ok(calls.ListServices!.length >= 8, `${calls.ListServices!.length} looks at the services`);
  assert.ok(calls.ListTasks!.length <= 4, `${calls.ListTasks!.length} looks at the tasks`);
  for (let i = 1; i < calls.ListTasks!.length; i++) assert.ok(calls.ListTasks![i]! - calls.ListTasks![i - 1]! >= 245);
});

test('a large stack is looked at every 250 ms', async () => {
  const { control, calls } = fakeControl(600, 5000);
  await waitConverged(io, control, 's', Date.now(), 10000);
  assert.ok(calls.ListServices!.length <= 4, `${calls.ListServices!.length} looks at the services`);
});
