import type { Role } from './roles.js';

/** Caller is the authenticated identity behind a call. */
export interface Caller {
  /** kind is "admin", "node" or "anonymous". */
  kind: Role;
  /** name is the certificate's common name: the node id or the admin name. */
  name: string;
  /** certRole is the role written in the certificate (admin, manager, worker). */
  certRole: string;
  /** serial is the certificate's serial (lower-case hex); '' for anonymous. */
  serial?: string;
  /** notAfterMs is when the certificate expires (ms since the epoch). */
  notAfterMs?: number;
  /** ca is the digest of the CA that issued the certificate. */
  ca?: string;
}

/**
 * Authenticate turns a call's TLS peer certificate into a Caller, or an error
 * message. It verifies the certificate against the cluster CA and revocation.
 */
export type Authenticate = (peerCertDer: Buffer | undefined) => Caller | { error: string };
