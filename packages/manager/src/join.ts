import { ClusterError, NAME_RE, type Node } from '@cluster/core';
import type { JoinRequest__Output, JoinResponse } from '@cluster/api';
import { caDigest, csrKeyDigest, issueCertificate, verifyJoinToken } from './pki/index.js';
import type { ClusterIdentity } from './identity.js';
import type { SecurityLedger } from './ledger.js';
import type { Store } from './store.js';
import type { Logger } from './log.js';
import { checkHostname, checkLabels, checkNodeAddress, shown } from './nodeInput.js';

/** JoinServiceOptions configure how nodes join. */
export interface JoinServiceOptions {
  store: Store;
  identity: ClusterIdentity;
  /** ledger records spent single-use tokens and certified keys, and knows the token generations. */
  ledger: SecurityLedger;
  log: Logger;
  newId: () => string;
  /** nodeCertTtlMs is the lifetime of node certificates. @default 24 h */
  nodeCertTtlMs: number;
  now?: () => number;
  /** onJoined is told of a node that joined. */
  onJoined?: (node: Node) => void;
  /** onIssued is told of every node certificate issued (join or renewal), after it is committed. */
  onIssued?: (nodeId: string, serial: string, notAfterMs: number) => void;
}

/**
 * JoinService checks join tokens and turns CSRs into node certificates; it
 * also renews the certificate of a node that still holds a valid one. A CSR
 * for a public key that was already certified is refused (replay).
 */
export class JoinService {
  private readonly o: JoinServiceOptions;
  private readonly now: () => number;

  constructor(o: JoinServiceOptions) {
    this.o = o;
    this.now = o.now ?? Date.now;
  }

  /** renew issues a fresh certificate to an authenticated node (see renewNode). */
  renew(caller: { nodeId: string; role: string }, csrPem: string): Promise<{ certificatePem: string }> {
    return renewNode({ ...this.o, now: this.now }, caller, csrPem);
  }

  async join(req: JoinRequest__Output, peer: string): Promise<JoinResponse> {
    const { store, identity } = this.o;
    const now = new Date(this.now());
    const claims = await verifyJoinToken(identity.tokenSecret, req.token, { clusterId: identity.clusterId, now });
    const ledger = this.o.ledger;
    if (claims.caDigest !== caDigest(identity.ca.certPem)) {
      throw new ClusterError('unauthenticated', `join token: made for a previous CA of this cluster (the CA was rotated); ask for a new one with: cluster token ${claims.role}`);
    }
    if (claims.gen !== ledger.tokenGen(claims.role)) {
      throw new ClusterError('unauthenticated', `join token: this ${claims.role} token was rotated away; ask for a new one with: cluster token ${claims.role}`);
    }
    const name = (req.name || req.hostname || '').trim();
    if (!name || name.length > 128 || !NAME_RE.test(name.toLowerCase())) {
      throw new ClusterError('invalid_argument', `join: invalid node name ${shown(name)} (letters, digits, "_" and "-", at most 128)`);
    }
    // What a joining node says of itself is untrusted input, checked before anything is spent.
    const address = checkNodeAddress('join', req.advertiseAddress) || peerAddress(peer);
    const hostname = checkHostname('join', req.hostname || name);
    const labels = checkLabels('join', { ...req.labels });
    // Labels steer placement (node.labels constraints): a node gets only those its token allows.
    for (const [k, v] of Object.entries(labels)) {
      const allowed = claims.labels ?? {};
      if (!Object.hasOwn(allowed, k) || allowed[k] !== v) {
        throw new ClusterError('permission_denied', `join: label ${shown(`${k}=${v}`)} is not allowed by this token; make a token that allows it (cluster token ${claims.role} --label ${shown(`${k}=${v}`)}), or join without it and add it with: cluster node label add NODE ${shown(`${k}=${v}`)}`);
      }
    }
    const existing = store.allNodes().find((n) => n.name === name);
    if (existing && existing.status !== 'down') {
      throw new ClusterError('already_exists', `join: node name "${name}" is taken by node ${existing.id} (${existing.status}); choose another with --name`);
    }
    const claim = { keyDigest: csrKeyDigest(req.csrPem), ...(claims.singleUse === true ? { jti: claims.jti } : {}) };
    ledger.claim(claim);
    const id = this.o.newId();
    let cert: { certPem: string; serial: string; notAfter: Date };
    try {
      cert = await issueCertificate(identity.ca, { csrPem: req.csrPem, commonName: id, role: claims.role, ttlMs: this.o.nodeCertTtlMs, now });
    } catch (err) {
      ledger.release(claim);
      throw err;
    }
    const node: Node = {
      id,
      name,
      role: claims.role,
      address,
      hostname,
      labels,
      availability: 'active',
      status: 'unknown',
      statusMessage: 'joined; waiting for its session',
      lastHeartbeat: 0,
      engineVersion: '',
      nanoCpus: 0,
      memoryBytes: 0,
      createdAt: now.getTime(),
    };
    // The spent token, the certified key and the node: one transaction.
    store.transaction(() => {
      ledger.commit(claim, `node ${id}`, now.getTime());
      store.update({ putNodes: [node], deleteNodes: existing ? [existing.id] : [] });
    });
    this.o.log.info(`join: node ${name} joined as ${claims.role} with id ${id}${existing ? ` (replacing down node ${existing.id})` : ''}`);
    this.o.onIssued?.(id, cert.serial, cert.notAfter.getTime());
    this.o.onJoined?.(node);
    return { nodeId: id, certificatePem: cert.certPem, caPem: identity.ca.certPem, role: claims.role };
  }
}

/**
 * renewNode issues a fresh certificate to a node that authenticated with its
 * current one: same node id and role, new key, full lifetime from now.
 */
export async function renewNode(o: JoinServiceOptions, caller: { nodeId: string; role: string }, csrPem: string): Promise<{ certificatePem: string }> {
  const now = new Date((o.now ?? Date.now)());
  const node = o.store.node(caller.nodeId);
  if (!node || o.ledger.isNodeRevoked(caller.nodeId)) {
    throw new ClusterError('permission_denied', `renew: node ${caller.nodeId} is not a member of this cluster (removed?)`);
  }
  if (caller.role !== 'worker' && caller.role !== 'manager') {
    throw new ClusterError('permission_denied', `renew: role "${caller.role}" of node ${caller.nodeId} cannot be renewed`);
  }
  const claim = { keyDigest: csrKeyDigest(csrPem) };
  o.ledger.claim(claim);
  try {
    const cert = await issueCertificate(o.identity.ca, { csrPem, commonName: caller.nodeId, role: caller.role, ttlMs: o.nodeCertTtlMs, now });
    o.ledger.commit(claim, `node ${caller.nodeId}`, now.getTime());
    o.log.info(`renew: node ${node.name} (${caller.nodeId}) has a new certificate until ${cert.notAfter.toISOString()}`);
    o.onIssued?.(caller.nodeId, cert.serial, cert.notAfter.getTime());
    return { certificatePem: cert.certPem };
  } catch (err) {
    o.ledger.release(claim);
    throw err;
  }
}

/** peerAddress takes the host part of a gRPC peer string such as `ipv4:10.0.0.2:51234`. */
export function peerAddress(peer: string): string {
  const p = peer.replace(/^ipv[46]:/, '');
  const m = /^\[?([^\]]+?)\]?:\d+$/.exec(p);
  return m?.[1] ?? p;
}
