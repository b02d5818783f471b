import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Control } from '../client.js';
import type { Io } from '../io.js';
import { pollIntervalMs, waitConverged, type PollClock } from './deploy.js';

const io: Io = { out: () => undefined, err: () => undefined, env: {}, cwd: '/' };

test('the poll interval is 50 ms for small stacks, grows with the desired tasks and stops at 250 ms', () => {
  assert.equal(pollIntervalMs(1), 50);
  assert.equal(pollIntervalMs(30), 50);
  assert.equal(pollIntervalMs(120), 120);
  assert.equal(pollIntervalMs(250), 250);
  assert.equal(pollIntervalMs(100000), 250);
});

/** fakeClock is a clock whose sleeps return at once and move its time on: the test's time is exact, whatever the machine's load. */
function fakeClock(): PollClock & { sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

/** fakeControl answers ListServices and ListTasks for one service that converges after `convergeAfterMs` of the clock's time. */
function fakeControl(clock: PollClock, convergeAfterMs: number, desired: number): { control: Control; calls: Record<string, number[]> } {
  const start = clock.now();
  const calls: Record<string, number[]> = { ListServices: [], ListTasks: [] };
  const control: Control = {
    address: 'fake',
    async call<Res>(method: string): Promise<Res> {
      const at = clock.now() - start;
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
  const clock = fakeClock();
  const { control, calls } = fakeControl(clock, 600, 10);
  const t0 = clock.now();
  await waitConverged(io, control, 's', t0, 10000, clock);
  const took = clock.now() - t0;
  // Converged at 600 ms: seen within one interval.
  assert.ok(took >= 600 && took < 600 + 50, `returned ${took} ms after the start`);
  assert.deepEqual(new Set(clock.sleeps), new Set([50]));
  assert.ok(calls.ListServices!.length >= 8, `${calls.ListServices!.length} looks at the services`);
  assert.ok(calls.ListTasks!.length <= 4, `${calls.ListTasks!.length} looks at the tasks`);
  for (let i = 1; i < calls.ListTasks!.length; i++) assert.ok(calls.ListTasks![i]! - calls.ListTasks![i - 1]! >= 250);
});

test('a large stack is looked at every 250 ms', async () => {
  const clock = fakeClock();
  const { control, calls } = fakeControl(clock, 600, 5000);
  await waitConverged(io, control, 's', clock.now(), 10000, clock);
  assert.deepEqual(new Set(clock.sleeps), new Set([250]));
  assert.ok(calls.ListServices!.length <= 4, `${calls.ListServices!.length} looks at the services`);
});

test('a service the manager leaves out of orchestration fails the wait at once, with its error', async () => {
  const clock = fakeClock();
  const control: Control = {
    address: 'fake',
    async call<Res>(method: string): Promise<Res> {
      if (method === 'ListServices') return { services: [{ name: 's_app', running: 0, desired: 1, converged: false, error: 'invalid spec: spec.env: missing', specVersion: 1, leftOut: true }] } as Res;
      return { tasks: [] } as Res;
    },
    upload: () => Promise.reject(new Error('not used')),
    close: () => undefined,
  };
  const t0 = clock.now();
  await assert.rejects(waitConverged(io, control, 's', t0, 60_000, clock), /deploy: s_app is left out of orchestration: invalid spec: spec\.env: missing/);
  assert.equal(clock.now(), t0, 'no waiting');
});
