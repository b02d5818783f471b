import type { ClusterIdentity } from '../identity.js';
import type { SecurityLedger } from '../ledger.js';
import type { Store } from '../store.js';
import { verifyPeer } from '../ca-rotation.js';
import { caDigest } from '../pki/index.js';
import type { Authenticate, Caller } from './caller.js';

/** AuthenticatorOptions are what certificates are checked against. */
export interface AuthenticatorOptions {
  identity: ClusterIdentity;
  ledger: SecurityLedger;
  store: Store;
  now?: () => number;
}

/** Authenticator checks a certificate when a call opens (authenticate) and again while a stream runs (check). */
export interface Authenticator {
  authenticate: Authenticate;
  /** check tells why an admitted caller may no longer be served, or undefined while it may. */
  check: (caller: Caller) => string | undefined;
}

/**
 * authenticator makes the manager's certificate checks. A call is admitted
 * when its certificate chains to a trusted CA (the current one, and the
 * previous one during a rotation), is within its validity, and is not
 * revoked; a stream is served while that stays true. A node's stream lasts
 * while the node holds a valid certificate: the one it connected with, or
 * a newer one the manager issued it since by renewal (an honest node renews
 * long before expiry and keeps its session; a node that does not renew,
 * or holds only a certificate of a retired CA, loses it).
 */
export function authenticator(o: AuthenticatorOptions): Authenticator {
  const now = o.now ?? Date.now;
  const digests = new Map<string, string>();
  const digestOf = (pem: string): string => {
    let d = digests.get(pem);
    if (d === undefined) {
      if (digests.size > 8) digests.clear();
      digests.set(pem, (d = caDigest(pem)));
    }
    return d;
  };
  const trusted = (ca: string): boolean =>
    ca === digestOf(o.identity.ca.certPem) || (o.identity.previousCaPem !== undefined && ca === digestOf(o.identity.previousCaPem));

  const check = (c: Caller): string | undefined => {
    if (c.kind === 'anonymous') return undefined;
    if (c.kind === 'admin') {
      if (o.ledger.isSerialRevoked(c.serial ?? '')) return `credentials of ${c.name} (certificate ${c.serial}) are revoked`;
      return validity(`credentials of ${c.name} (certificate ${c.serial})`, c.notAfterMs, c.ca);
    }
    if (o.ledger.isNodeRevoked(c.name)) return `node ${c.name} was removed from the cluster; its certificate is revoked (join again with a new token)`;
    if (!o.store.node(c.name)) return `node ${c.name} is not a member of this cluster (removed?)`;
    const latest = o.ledger.nodeCertificate(c.name);
    // A renewal (made over this node's own valid certificate) carries its session on: the newest certificate decides.
    if (latest && latest.serial !== c.serial && latest.notAfterMs !== undefined) {
      return validity(`the certificate of node ${c.name} (renewed, ${latest.serial})`, latest.notAfterMs, latest.ca);
    }
    return validity(`the certificate of node ${c.name} (${c.serial})`, c.notAfterMs, c.ca);
  };

  function validity(what: string, notAfterMs: number | undefined, ca: string | undefined): string | undefined {
    if (notAfterMs !== undefined && now() > notAfterMs) return `${what} expired at ${new Date(notAfterMs).toISOString()}`;
    if (ca !== undefined && !trusted(ca)) return `${what} was issued by a CA this cluster no longer trusts (the CA was rotated)`;
    return undefined;
  }

  const authenticate: Authenticate = (raw) => {
    if (!raw) return { kind: 'anonymous', name: '', certRole: '' };
    const id = verifyPeer(raw, o.identity, new Date(now()));
    if ('error' in id) return { error: id.error };
    const caller: Caller = {
      kind: id.role === 'admin' ? 'admin' : 'node', name: id.commonName, certRole: id.role, serial: id.serial, notAfterMs: id.notAfter.getTime(), ca: id.ca,
    };
    // Revocation: a chain-valid certificate is still refused once revoked.
    const why = check(caller);
    return why === undefined ? caller : { error: why };
  };
  return { authenticate, check };
}
