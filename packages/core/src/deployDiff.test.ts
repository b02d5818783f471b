import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Service, ServiceSpec, StackSpec } from './model.js';
import { deployDiff } from './deployDiff.js';
import { ClusterError } from './errors.js';

const NOW = 50_000;

function spec(name: string, over: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name, image: 'busybox', env: {}, labels: {}, ports: [], mode: 'replicated', replicas: 1,
    restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 },
    constraints: [], stopGracePeriodMs: 10000, ...over,
  };
}

function stored(stack: string, s: ServiceSpec, specVersion = 3): Service {
  return { name: `${stack}_${s.name}`, stack, spec: s, specVersion, createdAt: 1, updatedAt: 1 };
}

function stack(name: string, ...services: ServiceSpec[]): StackSpec {
  return { name, services: Object.fromEntries(services.map((s) => [s.name, s])) };
}

/** actions maps each service to its action and spec version. */
function actions(plan: ReturnType<typeof deployDiff>): Record<string, string> {
  return Object.fromEntries(plan.changes.map((c) => [c.service, `${c.action}@${c.specVersion}`]));
}

test('a first deploy creates every service at spec version 1', () => {
  const plan = deployDiff(stack('shop', spec('web'), spec('db')), [], NOW);
  assert.deepEqual(actions(plan), { shop_web: 'create@1', shop_db: 'create@1' });
  assert.deepEqual(plan.put.map((s) => [s.name, s.specVersion, s.createdAt, s.updatedAt]), [['shop_web', 1, NOW, NOW], ['shop_db', 1, NOW, NOW]]);
  assert.deepEqual(plan.remove, []);
});

test('an unchanged spec stores nothing and keeps its version', () => {
  const plan = deployDiff(stack('shop', spec('web')), [stored('shop', spec('web'))], NOW);
  assert.deepEqual(actions(plan), { shop_web: 'unchanged@3' });
  assert.deepEqual(plan.put, []);
});

test('a spec differing only in replicas is a scale: stored with the same version', () => {
  const plan = deployDiff(stack('shop', spec('web', { replicas: 4 })), [stored('shop', spec('web'))], NOW);
  assert.deepEqual(actions(plan), { shop_web: 'scale@3' });
  assert.deepEqual(plan.put.map((s) => [s.spec.replicas, s.specVersion, s.updatedAt]), [[4, 3, NOW]]);
});

test('new registry credentials are stored with the same version: running tasks are not replaced', () => {
  const auth = { serverAddress: 'reg:5000', username: 'u', password: 'new' };
  const plan = deployDiff(stack('shop', spec('web', { pullAuth: auth })), [stored('shop', spec('web', { pullAuth: { ...auth, password: 'old' } }))], NOW);
  assert.deepEqual(actions(plan), { shop_web: 'unchanged@3' });
  assert.deepEqual(plan.put.map((s) => [s.spec.pullAuth?.password, s.specVersion]), [['new', 3]]);
});

test('a changed spec is an update to the next version; a service left out of the spec is removed', () => {
  const plan = deployDiff(stack('shop', spec('web', { image: 'nginx' })), [stored('shop', spec('web')), stored('shop', spec('cache'), 7)], NOW);
  assert.deepEqual(actions(plan), { shop_web: 'update@4', shop_cache: 'remove@7' });
  assert.deepEqual(plan.remove, ['shop_cache']);
  assert.equal(plan.put[0]?.spec.image, 'nginx');
});

test('a dependent with restart: true of an updated service is restarted at the next version, chains followed', () => {
  const web = spec('web', { dependsOn: [{ service: 'db', condition: 'service_started', restart: true, required: true }] });
  const worker = spec('worker', { dependsOn: [{ service: 'web', condition: 'service_started', restart: true, required: true }] });
  const plan = deployDiff(stack('shop', spec('db', { image: 'postgres:17' }), web, worker), [stored('shop', spec('db')), stored('shop', web, 2), stored('shop', worker, 5)], NOW);
  assert.deepEqual(actions(plan), { shop_db: 'update@4', shop_web: 'restart@3', shop_worker: 'restart@6' });
  assert.deepEqual(plan.put.map((s) => s.name).sort(), ['shop_db', 'shop_web', 'shop_worker']);
});

test('other stacks are not touched, but their published ports are refused', () => {
  const other = stored('blog', spec('www', { ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }] }));
  const plan = deployDiff(stack('shop', spec('web')), [other], NOW);
  assert.deepEqual(actions(plan), { shop_web: 'create@1' });
  assert.throws(
    () => deployDiff(stack('shop', spec('web', { ports: other.spec.ports })), [other], NOW),
    (err: unknown) => err instanceof ClusterError && err.code === 'failed_precondition' && /published port 8080\/tcp is already used by service blog_www of stack blog/.test(err.message),
  );
});
