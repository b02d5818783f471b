import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineMonitor, pingError } from './engineMonitor.js';

/** rig is a monitor whose ping answers as `answer` says at the time of the ping. */
function rig(answer: { now: 'ok' | 'refused' | 'hang' }, timeoutMs = 50): { monitor: EngineMonitor; changes: string[] } {
  const changes: string[] = [];
  const monitor = new EngineMonitor({
    ping: () => {
      if (answer.now === 'ok') return Promise.resolve();
      if (answer.now === 'hang') return new Promise(() => undefined);
      return Promise.reject(Object.assign(new Error('connect ECONNREFUSED /run/engine.sock'), { code: 'ECONNREFUSED', address: '/run/engine.sock' }));
    },
    onChange: (e) => changes.push(e),
    intervalMs: 60_000,
    timeoutMs,
  });
  return { monitor, changes };
}

test('an engine that refuses connections is unreachable with the reason, and answers again once it does', async () => {
  const answer = { now: 'ok' as 'ok' | 'refused' | 'hang' };
  const { monitor, changes } = rig(answer);
  monitor.start();
  await monitor.check();
  assert.deepEqual(changes, [], 'an engine that answers from the start changes nothing');
  answer.now = 'refused';
  await monitor.check();
  await monitor.check();
  assert.deepEqual(changes, ['ECONNREFUSED /run/engine.sock'], 'told once, not at every failed ping');
  assert.equal(monitor.error, 'ECONNREFUSED /run/engine.sock');
  answer.now = 'ok';
  await monitor.check();
  assert.deepEqual(changes, ['ECONNREFUSED /run/engine.sock', '']);
  monitor.stop();
});

test('a ping with no answer within its deadline says the engine is stuck, not dead', async () => {
  const answer = { now: 'hang' as 'ok' | 'refused' | 'hang' };
  const { monitor, changes } = rig(answer);
  monitor.start();
  await monitor.check();
  assert.equal(changes.length, 1);
  assert.match(changes[0]!, /no answer to a ping within 50 ms \(engine stuck\?\)/);
  monitor.stop();
});

test('a change found before start (the agent still starting) is told at start, and a failing listener is only logged', async () => {
  const lines: string[] = [];
  const changes: string[] = [];
  const monitor = new EngineMonitor({
    ping: () => Promise.reject(new Error('socket hang up')),
    onChange: (e) => { changes.push(e); throw new Error('not ready yet'); },
    intervalMs: 60_000,
    log: (l) => lines.push(l),
  });
  await monitor.check();
  assert.deepEqual(changes, []);
  monitor.start();
  assert.deepEqual(changes, ['socket hang up']);
  assert.ok(lines.some((l) => /reporting the engine's state failed: not ready yet/.test(l)), lines.join('\n'));
  monitor.stop();
});

test('checks asked for while a ping is under way share it', async () => {
  let pings = 0;
  let release: () => void = () => undefined;
  const monitor = new EngineMonitor({ ping: () => { pings++; return new Promise<void>((r) => { release = r; }); }, onChange: () => undefined, intervalMs: 60_000 });
  const a = monitor.check();
  const b = monitor.check();
  release();
  await Promise.all([a, b]);
  assert.equal(pings, 1);
  monitor.stop();
});

test('the periodic ping finds an engine that went away without anyone asking', async () => {
  const changes: string[] = [];
  let up = true;
  const monitor = new EngineMonitor({ ping: () => (up ? Promise.resolve() : Promise.reject(new Error('socket hang up'))), onChange: (e) => changes.push(e), intervalMs: 10 });
  monitor.start();
  up = false;
  const deadline = Date.now() + 10_000;
  while (changes.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  monitor.stop();
  assert.deepEqual(changes, ['socket hang up']);
});

test('pingError keeps one line', () => {
  assert.equal(pingError(new Error('first\nsecond')), 'first');
  assert.equal(pingError('text'), 'text');
});
