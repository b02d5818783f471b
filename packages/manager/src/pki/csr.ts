import { createHash } from 'node:crypto';
import { ClusterError } from '@cluster/core';
import * as x509 from './x509.js';

/**
 * csrKeyDigest is "sha256:<hex>" of the public key (SubjectPublicKeyInfo DER)
 * a CSR asks to certify. The manager remembers the digests it certified, so
 * a CSR is never honoured twice: a replayed request gets nothing.
 */
export function csrKeyDigest(csrPem: string): string {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (cause) {
    throw new ClusterError('invalid_argument', 'csr: malformed PEM or DER', { cause });
  }
  return `sha256:${createHash('sha256').update(Buffer.from(csr.publicKey.rawData)).digest('hex')}`;
}
