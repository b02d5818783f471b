import { ClusterError } from '@cluster/core';
import type { Store } from './store.js';

/**
 * RECORD_TTL_MS is how long a spent single-use token (token.used.*) and a
 * certified public key (key.issued.*) are remembered: 31 days, longer than
 * any join token lives (MAX_TOKEN_TTL_MS, 30 days). A replayed join comes with
 * its token, which has expired by the time its record goes.
 */
export const RECORD_TTL_MS = 31 * 24 * 60 * 60 * 1000;

/** JoinRole is a role a join token grants. */
export type JoinRole = 'worker' | 'manager';

/**
 * SecurityLedger remembers, in the store's metadata, what the cluster issued,
 * used and revoked: the join token generation per role, single-use tokens
 * already spent, public keys already certified, removed node ids and revoked
 * admin certificate serials. Revocations are kept in memory too, because the
 * manager checks them on every call.
 *
 * Meta keys: token.gen.<role>, token.used.<jti>, key.issued.<digest>,
 * revoked.nodes (JSON array), revoked.serials (JSON array), admin.serials
 * (JSON object serial -> name), node.cert.<node id> (JSON {serial, ca digest}).
 */
export class SecurityLedger {
  private readonly store: Store;
  private readonly revokedNodes: Set<string>;
  private readonly revokedSerials: Set<string>;
  private readonly adminSerials: Record<string, string>;
  // Tokens and keys claimed by a request in flight, not yet committed.
  private readonly pending = new Set<string>();

  constructor(store: Store) {
    this.store = store;
    this.revokedNodes = new Set(readJson<string[]>(store, 'revoked.nodes', []));
    this.revokedSerials = new Set(readJson<string[]>(store, 'revoked.serials', []));
    this.adminSerials = readJson<Record<string, string>>(store, 'admin.serials', {});
  }

  /** tokenGen is the current generation of join tokens for a role. */
  tokenGen(role: JoinRole): number {
    return Number(this.store.getMeta(`token.gen.${role}`) ?? '0');
  }

  /** rotateTokens bumps the generation of a role: every earlier token of it is refused from now on. */
  rotateTokens(role: JoinRole): number {
    const next = this.tokenGen(role) + 1;
    this.store.setMeta(`token.gen.${role}`, String(next));
    return next;
  }

  /**
   * claim reserves a single-use token id or a public key digest for one
   * request, refusing one that was used or is being used. Follow it with
   * commit (success) or release (failure).
   */
  claim(what: { jti?: string; keyDigest: string }): void {
    if (what.jti !== undefined) {
      if (this.store.getMeta(`token.used.${what.jti}`) !== undefined || this.pending.has(`jti:${what.jti}`)) {
        throw new ClusterError('unauthenticated', 'join token: this single-use token was already used; ask for a new one with: cluster token worker|manager --single-use');
      }
    }
    if (this.store.getMeta(`key.issued.${what.keyDigest}`) !== undefined || this.pending.has(`key:${what.keyDigest}`)) {
      throw new ClusterError('permission_denied', 'csr: a certificate was already issued for this public key (replayed request?); make a new key');
    }
    if (what.jti !== undefined) this.pending.add(`jti:${what.jti}`);
    this.pending.add(`key:${what.keyDigest}`);
  }

  /** commit records a claimed token as used and a claimed key as certified for `subject`. */
  commit(what: { jti?: string; keyDigest: string }, subject: string, now: number): void {
    if (what.jti !== undefined) this.store.setMeta(`token.used.${what.jti}`, `${now} ${subject}`);
    this.store.setMeta(`key.issued.${what.keyDigest}`, `${now} ${subject}`);
    this.release(what);
  }

  /**
   * pruneRecords deletes the spent-token and issued-key records older than
   * RECORD_TTL_MS (their value starts with the time they were written), so
   * that the store does not grow with every join forever. Returns how many.
   */
  pruneRecords(now: number): number {
    const old: string[] = [];
    for (const prefix of ['token.used.', 'key.issued.']) {
      for (const [key, value] of this.store.metaWithPrefix(prefix)) {
        const at = Number(value.slice(0, value.indexOf(' ')));
        if (Number.isFinite(at) && at + RECORD_TTL_MS < now) old.push(key);
      }
    }
    if (old.length > 0) this.store.deleteMeta(old);
    return old.length;
  }

  /** release forgets a claim that did not lead to a certificate. */
  release(what: { jti?: string; keyDigest: string }): void {
    if (what.jti !== undefined) this.pending.delete(`jti:${what.jti}`);
    this.pending.delete(`key:${what.keyDigest}`);
  }

  /** revokeNode refuses the certificates of a node from now on. */
  revokeNode(nodeId: string): void {
    this.revokedNodes.add(nodeId);
    this.store.setMeta('revoked.nodes', JSON.stringify([...this.revokedNodes]));
  }

  isNodeRevoked(nodeId: string): boolean {
    return this.revokedNodes.has(nodeId);
  }

  /** recordAdmin remembers that an admin certificate with this serial was issued to `name`. */
  recordAdmin(serial: string, name: string): void {
    this.adminSerials[serial] = name;
    this.store.setMeta('admin.serials', JSON.stringify(this.adminSerials));
  }

  /** adminNames lists the names that hold at least one admin certificate not revoked. */
  adminNames(): string[] {
    const live = Object.entries(this.adminSerials).filter(([serial]) => !this.revokedSerials.has(serial));
    return [...new Set(live.map(([, name]) => name))].sort();
  }

  /** revokeAdmin revokes every certificate issued to `name` and returns how many were still valid. */
  revokeAdmin(name: string): number {
    let count = 0;
    for (const [serial, holder] of Object.entries(this.adminSerials)) {
      if (holder !== name || this.revokedSerials.has(serial)) continue;
      this.revokedSerials.add(serial);
      count++;
    }
    if (count > 0) this.store.setMeta('revoked.serials', JSON.stringify([...this.revokedSerials]));
    return count;
  }

  isSerialRevoked(serial: string): boolean {
    return this.revokedSerials.has(serial);
  }

  /** recordNodeCertificate remembers the serial, the issuing CA (digest) and the expiry of a node's latest certificate. */
  recordNodeCertificate(nodeId: string, serial: string, caDigest: string, notAfterMs?: number): void {
    this.store.setMeta(`node.cert.${nodeId}`, JSON.stringify({ serial, ca: caDigest, ...(notAfterMs === undefined ? {} : { notAfterMs }) }));
  }

  /** nodeCertificate is the latest certificate issued to a node, if recorded (notAfterMs is absent from records of earlier versions). */
  nodeCertificate(nodeId: string): { serial: string; ca: string; notAfterMs?: number } | undefined {
    return readJson<{ serial: string; ca: string; notAfterMs?: number } | undefined>(this.store, `node.cert.${nodeId}`, undefined);
  }
}

function readJson<T>(store: Store, key: string, fallback: T): T {
  const text = store.getMeta(key);
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new ClusterError('internal', `store: meta ${key} is not valid JSON`, { cause });
  }
}
