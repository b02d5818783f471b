import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusterError } from './errors.js';
import type { ServiceSpec, StackSpec } from './model.js';
import { decodeServiceSpec, decodeStackSpec, encodeServiceSpec, encodeStackSpec } from './specCodec.js';

const web: ServiceSpec = {
  name: 'web', image: 'busybox', env: { A: '1' }, labels: {}, ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }], mode: 'replicated', replicas: 2,
  restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 10000,
};

const code = (expected: string, text: RegExp) => (err: unknown): boolean => err instanceof ClusterError && err.code === expected && text.test(err.message);

test('a stack spec goes through encodeStackSpec and decodeStackSpec unchanged', () => {
  const stack: StackSpec = { name: 'shop', services: { web } };
  assert.deepEqual(decodeStackSpec('shop', encodeStackSpec(stack)), stack);
});

test('decodeStackSpec refuses text that is not JSON, and a spec the validator refuses, as invalid_argument', () => {
  assert.throws(() => decodeStackSpec('shop', '{'), code('invalid_argument', /^deploy: the stack spec is not valid JSON$/));
  assert.throws(() => decodeStackSpec('shop', encodeStackSpec({ name: 'shop', services: { web: { ...web, replicas: -1 } } })), code('invalid_argument', /^deploy: invalid stack spec: /));
});

test('a service spec goes through encodeServiceSpec and decodeServiceSpec unchanged; empty text is an empty spec', () => {
  assert.deepEqual(decodeServiceSpec(encodeServiceSpec(web)), web);
  assert.deepEqual(decodeServiceSpec(''), {});
  assert.throws(() => decodeServiceSpec('[1]'), code('invalid_argument', /^spec: not a JSON object$/));
  assert.throws(() => decodeServiceSpec('{"a"'), code('invalid_argument', /^spec: not valid JSON/));
});
