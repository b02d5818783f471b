import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { createCa, issueCertificate } from './ca.js';
import { createKeyAndCsr } from '@cluster/api';
import { SIGNING, generateKeyPair, importSigningKey, provider } from './keys.js';
import { identityFromCertificate } from './identity.js';
import * as x509 from './x509.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const HOUR = 60 * 60 * 1000;
const ca = await createCa({ clusterId: 'c-one', now: NOW });

async function issue(by = ca, ttlMs = HOUR) {
  const { csrPem } = await createKeyAndCsr('node-1');
  return issueCertificate(by, { csrPem, commonName: 'node-1', role: 'manager', ttlMs, now: NOW });
}

test('identity is read from a DER certificate as TLS hands it over', async () => {
  const issued = await issue();
  const der = new NodeX509Certificate(issued.certPem).raw;
  assert.deepEqual(identityFromCertificate(der, ca.certPem, NOW), {
    commonName: 'node-1',
    role: 'manager',
    serial: issued.serial,
    notAfter: issued.notAfter,
  });
});

test('a certificate from another CA is refused', async () => {
  const other = await createCa({ clusterId: 'c-two', now: NOW });
  const issued = await issue(other);
  assert.deepEqual(identityFromCertificate(issued.certPem, ca.certPem, NOW), {
    error: "certificate is not signed by this cluster's CA",
  });
});

test('a certificate from another CA with the very same name is refused', async () => {
  const impostor = await createCa({ clusterId: 'c-one', now: NOW });
  const issued = await issue(impostor);
  assert.deepEqual(identityFromCertificate(issued.certPem, ca.certPem, NOW), {
    error: "certificate is not signed by this cluster's CA",
  });
});

test('an expired certificate is refused with its expiry', async () => {
  const issued = await issue(ca, HOUR);
  const later = new Date(NOW.getTime() + 2 * HOUR);
  assert.deepEqual(identityFromCertificate(issued.certPem, ca.certPem, later), {
    error: 'certificate expired at 2026-03-01T13:00:00.000Z',
  });
});

test('a certificate is accepted from an hour before its issue (a clock behind, or set back since)', async () => {
  const issued = await issue();
  const accepted = identityFromCertificate(issued.certPem, ca.certPem, new Date(NOW.getTime() - 59 * 60 * 1000));
  assert.ok(!('error' in accepted), JSON.stringify(accepted));
});

test('a certificate is refused before its validity starts', async () => {
  const issued = await issue();
  const earlier = new Date(NOW.getTime() - 2 * HOUR);
  assert.deepEqual(identityFromCertificate(issued.certPem, ca.certPem, earlier), {
    error: 'certificate is not valid before 2026-03-01T11:00:00.000Z',
  });
});

test('garbage is refused as malformed', () => {
  assert.deepEqual(identityFromCertificate(Buffer.from('nope'), ca.certPem, NOW), { error: 'certificate is malformed' });
  assert.deepEqual(identityFromCertificate(ca.certPem, 'nope', NOW), { error: 'ca certificate is malformed' });
});

test('the CA certificate itself is not a peer identity', () => {
  assert.deepEqual(identityFromCertificate(ca.certPem, ca.certPem, NOW), { error: 'certificate has no role (OU)' });
});

test('a certificate without a common name is refused', async () => {
  const caCert = new x509.X509Certificate(ca.certPem);
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.create(
    {
      subject: [{ OU: ['worker'] }],
      issuer: caCert.subjectName,
      notBefore: NOW,
      notAfter: new Date(NOW.getTime() + HOUR),
      publicKey: keys.publicKey,
      signingKey: await importSigningKey(ca.keyPem),
      signingAlgorithm: SIGNING,
    },
    provider,
  );
  assert.deepEqual(identityFromCertificate(cert.toString('pem'), ca.certPem, NOW), {
    error: 'certificate has no common name (CN)',
  });
});
