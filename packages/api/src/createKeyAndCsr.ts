import { KeyObject, webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';

// The one key and CSR maker of the cluster: the agent (join, renewal), the
// manager (its own and the admin's certificate) and the CLI (operator
// credentials) all make the same ECDSA P-256 key, and the CSR that travels in
// JoinRequest and the certificate requests of the Control API. It lives here,
// beside the wire types, because it is part of that contract and every one of
// those packages may import this one.

/** createKeyAndCsr makes an ECDSA P-256 key (PKCS#8 PEM) and a CSR for it with subject CN=commonName; the key never leaves the caller. */
export async function createKeyAndCsr(commonName: string): Promise<{ keyPem: string; csrPem: string }> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    { name: [{ CN: [commonName] }], keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } },
    webcrypto,
  );
  const keyPem = KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
  return { keyPem, csrPem: csr.toString('pem') };
}

let x509Module: Promise<typeof X509> | undefined;

// loadX509 imports @peculiar/x509 once, after reflect-metadata, which its
// dependency tsyringe needs at load time; a program that makes no key (most
// CLI commands) never loads either.
function loadX509(): Promise<typeof X509> {
  x509Module ??= import('reflect-metadata').then(() => import('@peculiar/x509'));
  return x509Module;
}
