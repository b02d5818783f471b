import { KeyObject, X509Certificate, createHash, webcrypto } from 'node:crypto';
import { decodeJwt, type JWTPayload } from 'jose';
import type * as X509 from '@peculiar/x509';
import { ClusterError } from '@cluster/core';

// The agent's side of the cluster identity: its key and CSR, CA pinning by the
// digest a join token carries, and certificate expiry for renewal. The manager
// keeps the matching code in manager/src/pki; the agent cannot import it.

/** TOKEN_PREFIX starts every join token. */
const TOKEN_PREFIX = 'CLUSTER-1-';
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** createKeyAndCsr makes an ECDSA P-256 key (PKCS#8 PEM) and a CSR for it with subject CN=commonName. */
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

/** caDigestOfPem is "sha256:<hex>" of the DER encoding of a CA certificate, as join tokens carry it. */
export function caDigestOfPem(caCertPem: string): string {
  const der = new X509Certificate(caCertPem).raw;
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/**
 * caDigestFromToken reads the CA digest out of a join token ("CLUSTER-1-" and
 * a JWT) without checking its signature: only the manager holds the secret.
 * Throws ClusterError 'invalid_argument' "join token: malformed (...)".
 */
export function caDigestFromToken(token: string): string {
  const trimmed = token.trim();
  if (!trimmed.startsWith(TOKEN_PREFIX)) {
    throw new ClusterError('invalid_argument', `join token: malformed (does not start with "${TOKEN_PREFIX}")`);
  }
  let payload: JWTPayload;
  try {
    payload = decodeJwt(trimmed.slice(TOKEN_PREFIX.length));
  } catch (cause) {
    throw new ClusterError('invalid_argument', 'join token: malformed (not a JWT)', { cause });
  }
  if (typeof payload.cad !== 'string' || !DIGEST.test(payload.cad)) {
    throw new ClusterError('invalid_argument', 'join token: malformed (claim "cad" missing or invalid)');
  }
  return payload.cad;
}

/** certificateNotAfter is the end of a certificate's validity. */
export function certificateNotAfter(certPem: string): Date {
  // Node 20 gives validity as text only ("Mar  1 13:00:00 2026 GMT"), which Date parses.
  const notAfter = new Date(new X509Certificate(certPem).validTo);
  if (Number.isNaN(notAfter.getTime())) throw new ClusterError('internal', 'certificate: unreadable notAfter');
  return notAfter;
}

let x509Module: Promise<typeof X509> | undefined;

// loadX509 imports @peculiar/x509 once, after reflect-metadata, which its
// dependency tsyringe needs at load time.
function loadX509(): Promise<typeof X509> {
  x509Module ??= import('reflect-metadata').then(() => import('@peculiar/x509'));
  return x509Module;
}
