import { X509Certificate, createHash } from 'node:crypto';
import { decodeJwt, type JWTPayload } from 'jose';
import { ClusterError } from '@cluster/core';

// The agent's side of the cluster identity: CA pinning by the digest a join
// token carries, and certificate expiry for renewal. Its key and CSR come from
// createKeyAndCsr of @cluster/api, which the manager and the CLI use too.

/** TOKEN_PREFIX starts every join token. */
const TOKEN_PREFIX = 'CLUSTER-1-';
const DIGEST = /^sha256:[0-9a-f]{64}$/;

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
