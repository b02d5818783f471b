import { ClusterError, NAME_RE, type Node } from '@cluster/core';
import type { JoinRequest__Output, JoinResponse } from '@cluster/api';
import { issueCertificate, verifyJoinToken } from './pki/index.js';
import type { ClusterIdentity } from './identity.js';
import type { Store } from './store.js';
import type { Logger } from './log.js';

/** JoinServiceOptions configure how nodes join. */
export interface JoinServiceOptions {
  store: Store;
  identity: ClusterIdentity;
  log: Logger;
  newId: () => string;
  /** nodeCertTtlMs is the lifetime of node certificates. @default 24 h */
  nodeCertTtlMs: number;
  now?: () => number;
  /** onJoined is told of a node that joined. */
  onJoined?: (node: Node) => void;
}

/** JoinService checks join tokens and turns CSRs into node certificates. */
export class JoinService {
  private readonly o: JoinServiceOptions;
  private readonly now: () => number;

  constructor(o: JoinServiceOptions) {
    this.o = o;
    this.now = o.now ?? Date.now;
  }

  async join(req: JoinRequest__Output, peer: string): Promise<JoinResponse> {
    const { store, identity } = this.o;
    const now = new Date(this.now());
    const claims = await verifyJoinToken(identity.tokenSecret, req.token, { clusterId: identity.clusterId, now });
    const gen = Number(store.getMeta(`token.gen.${claims.role}`) ?? '0');
    if (claims.gen !== gen) throw new ClusterError('unauthenticated', `join token: this ${claims.role} token was rotated away; ask for a new one with: cluster token ${claims.role}`);
    const name = (req.name || req.hostname || '').trim();
    if (!name || !NAME_RE.test(name.toLowerCase())) {
      throw new ClusterError('invalid_argument', `join: invalid node name "${name}" (letters, digits, "_" and "-")`);
    }
    const existing = store.allNodes().find((n) => n.name === name);
    if (existing && existing.status !== 'down') {
      throw new ClusterError('already_exists', `join: node name "${name}" is taken by node ${existing.id} (${existing.status}); choose another with --name`);
    }
    const id = this.o.newId();
    const cert = await issueCertificate(identity.ca, {
      csrPem: req.csrPem,
      commonName: id,
      role: claims.role,
      ttlMs: this.o.nodeCertTtlMs,
      now,
    });
    const node: Node = {
      id,
      name,
      role: claims.role,
      address: req.advertiseAddress || peerAddress(peer),
      hostname: req.hostname || name,
      labels: { ...req.labels },
      availability: 'active',
      status: 'unknown',
      statusMessage: 'joined; waiting for its session',
      lastHeartbeat: 0,
      engineVersion: '',
      nanoCpus: 0,
      memoryBytes: 0,
      createdAt: now.getTime(),
    };
    store.update({ putNodes: [node], deleteNodes: existing ? [existing.id] : [] });
    this.o.log.info(`join: node ${name} joined as ${claims.role} with id ${id}${existing ? ` (replacing down node ${existing.id})` : ''}`);
    this.o.onJoined?.(node);
    return { nodeId: id, certificatePem: cert.certPem, caPem: identity.ca.certPem, role: claims.role };
  }
}

/** peerAddress takes the host part of a gRPC peer string such as `ipv4:10.0.0.2:51234`. */
export function peerAddress(peer: string): string {
  const p = peer.replace(/^ipv[46]:/, '');
  const m = /^\[?([^\]]+?)\]?:\d+$/.exec(p);
  return m?.[1] ?? p;
}
