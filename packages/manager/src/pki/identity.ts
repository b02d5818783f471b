import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import * as x509 from './x509.js';

/** PeerIdentity is who a verified certificate names: node id (or admin name), role, serial and expiry. */
export interface PeerIdentity {
  commonName: string;
  /** role is the OU= of the subject: manager, worker or admin. */
  role: string;
  /** serial is the lower-case hex serial number. */
  serial: string;
  notAfter: Date;
}

/**
 * identityFromCertificate checks that a peer certificate (DER, as TLS hands
 * it over, or PEM) was issued and signed by this cluster's CA and is valid at
 * `now`, and returns the identity it carries. Failures are returned as data.
 */
export function identityFromCertificate(
  certDerOrPem: Buffer | string,
  caCertPem: string,
  now: Date,
): PeerIdentity | { error: string } {
  let cert: NodeX509Certificate;
  let ca: NodeX509Certificate;
  try {
    cert = new NodeX509Certificate(certDerOrPem);
  } catch {
    return { error: 'certificate is malformed' };
  }
  try {
    ca = new NodeX509Certificate(caCertPem);
  } catch {
    return { error: 'ca certificate is malformed' };
  }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
    return { error: "certificate is not signed by this cluster's CA" };
  }

  // node:crypto in Node 20 gives validity as text only; read the dates and
  // the subject with the X.509 library from the same DER bytes.
  const parsed = new x509.X509Certificate(cert.raw);
  if (now.getTime() < parsed.notBefore.getTime()) {
    return { error: `certificate is not valid before ${parsed.notBefore.toISOString()}` };
  }
  if (now.getTime() > parsed.notAfter.getTime()) {
    return { error: `certificate expired at ${parsed.notAfter.toISOString()}` };
  }
  const commonName = parsed.subjectName.getField('CN')[0];
  if (commonName === undefined || commonName === '') return { error: 'certificate has no common name (CN)' };
  const role = parsed.subjectName.getField('OU')[0];
  if (role === undefined || role === '') return { error: 'certificate has no role (OU)' };
  return { commonName, role, serial: parsed.serialNumber.toLowerCase(), notAfter: parsed.notAfter };
}
