import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { createKeyAndCsr } from './createKeyAndCsr.js';

test('createKeyAndCsr makes a P-256 PKCS#8 key and a CSR that verifies', async () => {
  const { keyPem, csrPem } = await createKeyAndCsr('node-1');
  // createKeyAndCsr installed the Reflect metadata @peculiar/x509 needs: the test may load it now.
  const x509 = await import('@peculiar/x509');
  assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----/);
  assert.equal(createPrivateKey(keyPem).asymmetricKeyDetails?.namedCurve, 'prime256v1');
  const csr = new x509.Pkcs10CertificateRequest(csrPem);
  assert.equal(await csr.verify(webcrypto), true);
  assert.deepEqual(csr.subjectName.getField('CN'), ['node-1']);
});
