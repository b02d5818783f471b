import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveExternalFiles, usersOf } from './externalFiles.js';
import type { Service, ServiceSpec, StackSpec } from './model.js';

function spec(name: string, over: Partial<ServiceSpec> = {}): ServiceSpec {
  return { name, image: 'busybox', env: {}, labels: {}, ports: [], mode: 'replicated', replicas: 1, restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000, ...over };
}

const pw = { name: 'pw', target: '/run/secrets/pw', dataBase64: '', mode: 0o444, external: 'db_pw' };
const conf = { name: 'conf', target: '/conf', dataBase64: '', mode: 0o444, external: 'app.conf' };
const inline = { name: 'own', target: '/run/secrets/own', dataBase64: 'b3du', mode: 0o444 };

test('external secrets and configs get their content from the cluster; others are left as they are', () => {
  const stack: StackSpec = { name: 's', services: { web: spec('web', { secrets: [pw, inline], configs: [conf] }), db: spec('db') } };
  const r = resolveExternalFiles(stack, (kind, name) => ({ 'secret/db_pw': 'AP/+gA==', 'config/app.conf': 'YT0x' } as Record<string, string>)[`${kind}/${name}`]);
  assert.deepEqual(r.missing, []);
  assert.deepEqual(r.stack.services.web?.secrets?.map((f) => f.dataBase64), ['AP/+gA==', 'b3du']);
  assert.equal(r.stack.services.web?.configs?.[0]?.dataBase64, 'YT0x');
  assert.equal(r.stack.services.web?.secrets?.[0]?.external, 'db_pw', 'the reference stays, for rm to find it');
  assert.equal(stack.services.web?.secrets?.[0]?.dataBase64, '', 'the input is not changed');
  assert.deepEqual(r.stack.services.db, stack.services.db);
});

test('a reference the cluster has nothing for is reported with its place; a secret and a config of one name are apart', () => {
  const stack: StackSpec = { name: 's', services: { web: spec('web', { secrets: [inline, pw], configs: [{ ...conf, external: 'db_pw' }] }) } };
  const r = resolveExternalFiles(stack, (kind, name) => (kind === 'secret' && name === 'db_pw' ? 'eA==' : undefined));
  assert.deepEqual(r.missing, [{ path: 'services.web.configs[0]', kind: 'config', name: 'db_pw' }]);
});

test('usersOf names the services that refer to a secret made in the cluster', () => {
  const svc = (stack: string, s: ServiceSpec): Service => ({ name: `${stack}_${s.name}`, stack, spec: s, specVersion: 1, createdAt: 0, updatedAt: 0 });
  const services = [svc('b', spec('app', { secrets: [pw] })), svc('a', spec('web', { secrets: [pw] })), svc('a', spec('db', { configs: [{ ...conf, external: 'db_pw' }] })), svc('c', spec('x', { secrets: [inline] }))];
  assert.deepEqual(usersOf(services, 'secret', 'db_pw'), ['a_web', 'b_app']);
  assert.deepEqual(usersOf(services, 'config', 'db_pw'), ['a_db']);
  assert.deepEqual(usersOf(services, 'secret', 'other'), []);
});
