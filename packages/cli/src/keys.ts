import { KeyObject, webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';

/**
 * createKeyAndCsr makes an ECDSA P-256 key (PKCS#8 PEM) and a CSR for it, on
 * the operator's side: the key never leaves this host, only the CSR does.
 */
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
// dependency tsyringe needs at load time; commands that make no key skip it.
function loadX509(): Promise<typeof X509> {
  x509Module ??= import('reflect-metadata').then(() => import('@peculiar/x509'));
  return x509Module;
}
