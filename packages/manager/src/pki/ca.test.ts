import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate as NodeX509Certificate, webcrypto } from 'node:crypto';
import { ClusterError } from '@cluster/core';
import { caDigest, createCa, issueCertificate } from './ca.js';
import { createKeyAndCsr } from '@cluster/api';
import { identityFromCertificate } from './identity.js';
import * as x509 from './x509.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const HOUR = 60 * 60 * 1000;
const ca = await createCa({ clusterId: 'c-test', now: NOW });

test('createCa makes a self-signed ECDSA P-256 CA named after the cluster', () => {
  const cert = new NodeX509Certificate(ca.certPem);
  assert.equal(cert.ca, true);
  assert.equal(cert.checkIssued(cert), true);
  assert.equal(cert.verify(cert.publicKey), true);
  assert.equal(cert.publicKey.asymmetricKeyType, 'ec');
  assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.match(cert.subject, /O=c-test/);
  assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  const parsed = new x509.X509Certificate(ca.certPem);
  const years = (parsed.notAfter.getTime() - NOW.getTime()) / (365 * 24 * HOUR);
  assert.ok(years > 9.9 && years < 10.1, `default lifetime ~10 years, got ${years}`);
});

test('createCa honours ttlDays', async () => {
  const short = await createCa({ clusterId: 'c-short', now: NOW, ttlDays: 2 });
  const parsed = new x509.X509Certificate(short.certPem);
  assert.equal(parsed.notAfter.getTime(), NOW.getTime() + 2 * 24 * HOUR);
});

test('caDigest is sha256: and the hex of the DER certificate', () => {
  const fingerprint = new NodeX509Certificate(ca.certPem).fingerprint256.replace(/:/g, '').toLowerCase();
  assert.equal(caDigest(ca.certPem), `sha256:${fingerprint}`);
  assert.match(caDigest(ca.certPem), /^sha256:[0-9a-f]{64}$/);
});

test('an issued certificate verifies against the CA and carries CN and role', async () => {
  const { csrPem } = await createKeyAndCsr('node-1');
  const issued = await issueCertificate(ca, {
    csrPem,
    commonName: 'node-1',
    role: 'worker',
    ttlMs: 24 * HOUR,
    now: NOW,
    dnsNames: ['node-1.local'],
    ipAddresses: ['10.0.0.7'],
  });
  const cert = new NodeX509Certificate(issued.certPem);
  const caCert = new NodeX509Certificate(ca.certPem);
  assert.equal(cert.checkIssued(caCert), true);
  assert.equal(cert.verify(caCert.publicKey), true);
  assert.equal(cert.ca, false);
  assert.equal(cert.serialNumber.toLowerCase(), issued.serial);
  assert.equal(issued.notAfter.getTime(), NOW.getTime() + 24 * HOUR);
  assert.match(cert.subjectAltName ?? '', /DNS:node-1\.local/);
  assert.match(cert.subjectAltName ?? '', /IP Address:10\.0\.0\.7/);

  const parsed = new x509.X509Certificate(issued.certPem);
  assert.deepEqual(parsed.subjectName.getField('O'), ['c-test']);
  const eku = parsed.getExtension(x509.ExtendedKeyUsageExtension);
  assert.deepEqual([...(eku?.usages ?? [])], [x509.ExtendedKeyUsage.clientAuth]);
  assert.equal(parsed.getExtension(x509.KeyUsagesExtension)?.usages, x509.KeyUsageFlags.digitalSignature);

  assert.deepEqual(identityFromCertificate(issued.certPem, ca.certPem, NOW), {
    commonName: 'node-1',
    role: 'worker',
    serial: issued.serial,
    notAfter: issued.notAfter,
  });
});

test('serverAuth adds the serverAuth extended key usage', async () => {
  const { csrPem } = await createKeyAndCsr('m-1');
  const issued = await issueCertificate(ca, { csrPem, commonName: 'm-1', role: 'manager', ttlMs: HOUR, now: NOW, serverAuth: true });
  const eku = new x509.X509Certificate(issued.certPem).getExtension(x509.ExtendedKeyUsageExtension);
  assert.deepEqual([...(eku?.usages ?? [])], [x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth]);
});

test('subject and role come from the options, never from the CSR', async () => {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    { name: [{ OU: ['manager'] }, { CN: ['root'] }], keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } },
    webcrypto,
  );
  const issued = await issueCertificate(ca, { csrPem: csr.toString('pem'), commonName: 'node-2', role: 'worker', ttlMs: HOUR, now: NOW });
  const identity = identityFromCertificate(issued.certPem, ca.certPem, NOW);
  assert.ok(!('error' in identity));
  assert.equal(identity.commonName, 'node-2');
  assert.equal(identity.role, 'worker');
});

test('a CSR whose signature does not verify is refused', async () => {
  const a = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const b = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  // Claims key a but is signed by key b.
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    { name: 'CN=node-3', keys: { publicKey: a.publicKey, privateKey: b.privateKey }, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } },
    webcrypto,
  );
  await assert.rejects(
    issueCertificate(ca, { csrPem: csr.toString('pem'), commonName: 'node-3', role: 'worker', ttlMs: HOUR, now: NOW }),
    (err: unknown) =>
      err instanceof ClusterError && err.code === 'invalid_argument' && err.message === 'csr: signature does not verify',
  );
});

test('a CSR that is not a CSR is refused as malformed', async () => {
  await assert.rejects(
    issueCertificate(ca, { csrPem: 'not a csr', commonName: 'node-4', role: 'worker', ttlMs: HOUR, now: NOW }),
    (err: unknown) => err instanceof ClusterError && err.code === 'invalid_argument' && err.message === 'csr: malformed PEM or DER',
  );
});

test('a CSR for a key other than ECDSA P-256 is refused', async () => {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    { name: 'CN=node-5', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-384' } },
    webcrypto,
  );
  await assert.rejects(
    issueCertificate(ca, { csrPem: csr.toString('pem'), commonName: 'node-5', role: 'worker', ttlMs: HOUR, now: NOW }),
    (err: unknown) => err instanceof ClusterError && err.code === 'invalid_argument' && err.message === 'csr: key is not ECDSA P-256',
  );
});

test('createKeyAndCsr makes a PKCS#8 P-256 key and a CSR that verifies', async () => {
  const { keyPem, csrPem } = await createKeyAndCsr('admin');
  assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----/);
  const csr = new x509.Pkcs10CertificateRequest(csrPem);
  assert.equal(await csr.verify(webcrypto), true);
  assert.deepEqual(csr.subjectName.getField('CN'), ['admin']);
});
