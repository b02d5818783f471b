import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom, type Service, type Task } from '@cluster/core';
import { resolveService, serviceToApi } from './control.js';

/** expected is the summary as its definition reads: filters over the tasks, the error of the most recently updated one; a current task running with an error is not converged. */
function expected(s: Service, tasks: Task[]): { running: number; desired: number; converged: boolean; error: string } {
  const mine = tasks.filter((t) => t.service === s.name && t.desiredState === 'running');
  const current = mine.filter((t) => t.specVersion === s.specVersion);
  const running = current.filter((t) => t.state === 'running').length;
  const desired = s.spec.mode === 'global' ? current.length : s.spec.replicas;
  const withError = tasks.filter((t) => t.service === s.name && t.specVersion === s.specVersion && t.error).sort((a, b) => b.updatedAt - a.updatedAt)[0];
  // A task that runs with an error (a published port its node cannot bind) does not serve as asked.
  const runningWithError = current.filter((t) => t.state === 'running' && t.error !== '').length;
  const converged = running === desired && current.length === desired && mine.length === current.length && runningWithError === 0;
  return { running, desired, converged, error: converged ? '' : withError?.error ?? '' };
}

test('a service summary counts running, desired and stale tasks and says the latest error, in one pass', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const rnd = seededRandom(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const s: Service = {
      name: 's_web', stack: 's', specVersion: 2, createdAt: 0, updatedAt: 0,
      spec: { name: 'web', image: 'i', env: {}, labels: {}, ports: [], mode: rnd() < 0.3 ? 'global' : 'replicated', replicas: Math.floor(rnd() * 4), restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000 },
    };
    const tasks: Task[] = Array.from({ length: Math.floor(rnd() * 8) }, (_, i) => ({
      id: `t${i}`, stack: 's', service: rnd() < 0.85 ? 's_web' : 's_db', slot: i + 1, nodeId: 'n1', desiredState: rnd() < 0.8 ? 'running' : 'shutdown',
      state: pick(['running', 'running', 'starting', 'failed'] as const), containerId: '', error: rnd() < 0.4 ? `error ${i}` : '', exitCode: 0, health: '',
      specVersion: rnd() < 0.8 ? 2 : 1, createdAt: 0, updatedAt: Math.floor(rnd() * 3),
    }));
    const got = serviceToApi(s, tasks);
    assert.deepEqual({ running: got.running, desired: got.desired, converged: got.converged, error: got.error }, expected(s, tasks), `seed ${seed}`);
  }
});

test('a service whose task runs with an error is not converged and shows the error', () => {
  const s: Service = {
    name: 's_web', stack: 's', specVersion: 1, createdAt: 0, updatedAt: 0,
    spec: { name: 'web', image: 'i', env: {}, labels: {}, ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }], mode: 'replicated', replicas: 1, restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000 },
  };
  const task: Task = {
    id: 't1', stack: 's', service: 's_web', slot: 1, nodeId: 'n1', desiredState: 'running', state: 'running', containerId: 'c',
    error: 'published port 8080/tcp cannot be bound on 10.0.0.1: another process holds it', exitCode: 0, health: '', specVersion: 1, createdAt: 0, updatedAt: 1,
  };
  const got = serviceToApi(s, [task]);
  assert.deepEqual([got.running, got.converged, got.error], [1, false, task.error]);
  assert.equal(serviceToApi(s, [{ ...task, error: '' }]).converged, true);
});

test('a service is found by its full name, its short name, or its name as written in the Compose file (Web runs as web)', () => {
  const svc = (stack: string, name: string): Service => ({
    name: `${stack}_${name}`, stack, specVersion: 1, createdAt: 0, updatedAt: 0,
    spec: { name, image: 'i', env: {}, labels: {}, ports: [], mode: 'replicated', replicas: 1, restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000 },
  });
  const all = [svc('shop', 'web'), svc('shop', 'my-db'), svc('blog', 'my-db')];
  assert.equal(resolveService(all, 'shop_web', '').name, 'shop_web');
  assert.equal(resolveService(all, 'Web', '').name, 'shop_web');
  assert.equal(resolveService(all, 'My.DB', 'blog').name, 'blog_my-db');
  assert.throws(() => resolveService(all, 'my.db', ''), /service "my.db" is ambiguous: shop_my-db, blog_my-db/);
});
