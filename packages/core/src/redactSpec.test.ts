import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactSpec } from './redactSpec.js';
import type { ServiceSpec } from './model.js';

test('redactSpec leaves out the content of secrets and configs, and nothing else', () => {
  const spec = { name: 'web', secrets: [{ name: 'pw', target: '/run/secrets/pw', dataBase64: 'czNjcmV0', mode: 0o400 }], configs: [{ name: 'c', target: '/c', dataBase64: 'YQ==', mode: 0o444 }] } as unknown as ServiceSpec;
  const shown = JSON.stringify(redactSpec(spec));
  assert.ok(!shown.includes('czNjcmV0') && !shown.includes('YQ=='));
  assert.equal(redactSpec(spec).secrets?.[0]?.target, '/run/secrets/pw');
  assert.equal(spec.secrets?.[0]?.dataBase64, 'czNjcmV0', 'the stored spec is unchanged');
});

test('redactSpec leaves out registry credentials, keeping which registry', () => {
  const spec = { name: 'web', pullAuth: { serverAddress: 'reg.example:5000', username: 'u', password: 'p4ssw0rd', identityToken: 't0ken' } } as unknown as ServiceSpec;
  const shown = JSON.stringify(redactSpec(spec));
  assert.ok(!shown.includes('p4ssw0rd') && !shown.includes('t0ken') && !shown.includes('"u"'), shown);
  assert.deepEqual(redactSpec(spec).pullAuth, { serverAddress: 'reg.example:5000' });
  assert.equal(spec.pullAuth?.password, 'p4ssw0rd', 'the stored spec is unchanged');
});
