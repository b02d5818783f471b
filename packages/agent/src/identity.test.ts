import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, randomBytes, webcrypto } from 'node:crypto';
import { SignJWT } from 'jose';
import { ClusterError } from '@cluster/core';
import { createKeyAndCsr } from '@cluster/api';
import { caDigestFromToken, caDigestOfPem, certificateNotAfter } from './identity.js';

// createKeyAndCsr installs the Reflect metadata @peculiar/x509 needs on first
// use, so it goes first; the tests then use the library directly.
await createKeyAndCsr('warm-up');
const x509 = await import('@peculiar/x509');

// A self-signed certificate made with the same library, as a CA stand-in.
async function selfSigned(notAfter: Date): Promise<string> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    { name: 'CN=cluster-ca', notBefore: new Date('2026-01-01T00:00:00Z'), notAfter, keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } },
    webcrypto,
  );
  return cert.toString('pem');
}

function isMalformed(message: string) {
  return (err: unknown): boolean =>
    err instanceof ClusterError && err.code === 'invalid_argument' && err.message === message;
}

test('caDigestOfPem is sha256: and the hex of the DER certificate', async () => {
  const pem = await selfSigned(new Date('2030-01-01T00:00:00Z'));
  const fingerprint = new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
  assert.equal(caDigestOfPem(pem), `sha256:${fingerprint}`);
});

test('certificateNotAfter reads the end of validity', async () => {
  const pem = await selfSigned(new Date('2031-06-15T08:30:00Z'));
  assert.equal(certificateNotAfter(pem).toISOString(), '2031-06-15T08:30:00.000Z');
});

test('caDigestFromToken reads the CA digest without the secret', async () => {
  const cad = `sha256:${'cd'.repeat(32)}`;
  const jwt = await new SignJWT({ cid: 'c-one', role: 'worker', cad, gen: 1 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setJti('tok-1')
    .setExpirationTime('1h')
    .sign(randomBytes(32));
  assert.equal(caDigestFromToken(`CLUSTER-1-${jwt}\n`), cad);
});

test('caDigestFromToken refuses malformed tokens', async () => {
  const noCad = await new SignJWT({ cid: 'c-one' }).setProtectedHeader({ alg: 'HS256' }).sign(randomBytes(32));
  const cases: Array<[string, string]> = [
    ['', 'join token: malformed (does not start with "CLUSTER-1-")'],
    ['SWMTKN-1-abc', 'join token: malformed (does not start with "CLUSTER-1-")'],
    ['CLUSTER-1-not.a.jwt', 'join token: malformed (not a JWT)'],
    [`CLUSTER-1-${noCad}`, 'join token: malformed (claim "cad" missing or invalid)'],
  ];
  for (const [token, message] of cases) assert.throws(() => caDigestFromToken(token), isMalformed(message));
});
