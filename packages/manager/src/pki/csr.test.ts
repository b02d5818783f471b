import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterError } from '@cluster/core';
import { createKeyAndCsr } from '@cluster/api';
import { csrKeyDigest } from './csr.js';

test('csrKeyDigest names the key, not the request', async () => {
  const a = await createKeyAndCsr('a');
  const b = await createKeyAndCsr('a');
  assert.match(csrKeyDigest(a.csrPem), /^sha256:[0-9a-f]{64}$/);
  assert.equal(csrKeyDigest(a.csrPem), csrKeyDigest(a.csrPem));
  assert.notEqual(csrKeyDigest(a.csrPem), csrKeyDigest(b.csrPem));
});

test('csrKeyDigest refuses a malformed CSR', () => {
  assert.throws(() => csrKeyDigest('nope'), (err: unknown) => err instanceof ClusterError && err.code === 'invalid_argument' && err.message === 'csr: malformed PEM or DER');
});
