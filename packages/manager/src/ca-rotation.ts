import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterError } from '@cluster/core';
import type { CaStatus, ControlHandlers, ManagerMessage } from '@cluster/api';
import type { Store } from './store.js';
import type { Logger } from './log.js';
import { issueServerCertificate, type ClusterIdentity } from './identity.js';
import type { SecurityLedger } from './ledger.js';
import { caDigest, checkCsr, createCa, csrKeyDigest, identityFromCertificate, issueCertificate, type PeerIdentity } from './pki/index.js';
import { callerOf } from './auth/guard.js';
import { unary } from './rpc.js';
import type { TlsMaterial } from './tls-provider.js';

/** CaRotationOptions are what a CA rotation works on. */
export interface CaRotationOptions {
  /** dataDir holds ca/ca.crt, ca/ca.key and, during a rotation, ca/previous.crt. */
  dataDir: string;
  store: Store;
  identity: ClusterIdentity;
  ledger: SecurityLedger;
  log: Logger;
  /** serve hands the server new TLS material (trust bundle, certificate chain, key). */
  serve: (m: TlsMaterial) => void;
  /** broadcast sends a message to every open node session. */
  broadcast: (m: ManagerMessage) => void;
  /** adminCertTtlMs is the lifetime of the caller's re-issued admin certificate. @default 365 days */
  adminCertTtlMs?: number;
  now?: () => number;
}

const DAY = 24 * 60 * 60 * 1000;
const STARTED_KEY = 'ca.rotation.started';

/** tlsMaterial is what the manager serves for an identity: every trusted CA, its chain (server + issuing CA) and key. */
export function tlsMaterial(identity: ClusterIdentity): TlsMaterial {
  return {
    caPem: trustBundle(identity),
    chainPem: `${identity.server.certPem.trim()}\n${identity.ca.certPem.trim()}\n`,
    keyPem: identity.server.keyPem,
  };
}

/** trustBundle is the current CA, then the previous one while a rotation is in progress. */
export function trustBundle(identity: ClusterIdentity): string {
  return [identity.ca.certPem, identity.previousCaPem].filter((p): p is string => p !== undefined).map((p) => `${p.trim()}\n`).join('');
}

/**
 * verifyPeer checks a peer certificate against the current CA and, while a
 * rotation is in progress, the previous one; it also tells which CA signed it.
 */
export function verifyPeer(raw: Buffer | string, identity: ClusterIdentity, now: Date): (PeerIdentity & { ca: string }) | { error: string } {
  const current = identityFromCertificate(raw, identity.ca.certPem, now);
  if (!('error' in current) || identity.previousCaPem === undefined) {
    return 'error' in current ? current : { ...current, ca: caDigest(identity.ca.certPem) };
  }
  const previous = identityFromCertificate(raw, identity.previousCaPem, now);
  return 'error' in previous ? current : { ...previous, ca: caDigest(identity.previousCaPem) };
}

/**
 * CaRotation replaces the cluster CA as Swarm does: a new CA key and
 * certificate issue every certificate from then on, the previous CA stays
 * trusted until every node holds a certificate of the new one (or until an
 * admin finishes the rotation), and nodes are told over their sessions to
 * trust the new CA and renew at once.
 */
export class CaRotation {
  private readonly o: CaRotationOptions;
  private readonly now: () => number;
  private busy = false;

  constructor(o: CaRotationOptions) {
    this.o = o;
    this.now = o.now ?? Date.now;
  }

  get rotating(): boolean {
    return this.o.identity.previousCaPem !== undefined;
  }

  /** status is the CA digest and, during a rotation, how many nodes hold a certificate of the new CA. */
  status(): CaStatus {
    const { identity, store, ledger } = this.o;
    const current = caDigest(identity.ca.certPem);
    const nodes = store.allNodes().filter((n) => !ledger.isNodeRevoked(n.id));
    const pending = nodes.filter((n) => ledger.nodeCertificate(n.id)?.ca !== current);
    return {
      rotating: this.rotating,
      caDigest: current,
      previousCaDigest: identity.previousCaPem === undefined ? '' : caDigest(identity.previousCaPem),
      nodesRenewed: nodes.length - pending.length,
      nodesTotal: nodes.length,
      nodesPending: pending.map((n) => n.name).sort(),
      startedAtMs: this.rotating ? Number(store.getMeta(STARTED_KEY) ?? '0') : 0,
    };
  }

  /**
   * rotate makes and persists a new CA, re-issues the server certificate
   * from it, serves the new chain and both CAs, and tells every node.
   */
  async rotate(): Promise<void> {
    if (this.rotating) {
      const s = this.status();
      throw new ClusterError('failed_precondition', `ca: a rotation is in progress (${s.nodesRenewed} of ${s.nodesTotal} nodes renewed); end it first with: cluster ca rotate --finish`);
    }
    if (this.busy) throw new ClusterError('failed_precondition', 'ca: a rotation is being started');
    this.busy = true;
    try {
      const { identity, dataDir, store, log } = this.o;
      const now = new Date(this.now());
      const ca = await createCa({ clusterId: identity.clusterId, now });
      const server = await issueServerCertificate(ca, identity.serverNames, now);
      // previous.crt first: a crash after it leaves the old CA current and trusted.
      const caDir = join(dataDir, 'ca');
      writeFileSync(join(caDir, 'previous.crt'), identity.ca.certPem, { mode: 0o644 });
      writeFileSync(join(caDir, 'ca.key.new'), ca.keyPem, { mode: 0o600 });
      writeFileSync(join(caDir, 'ca.crt.new'), ca.certPem, { mode: 0o644 });
      renameSync(join(caDir, 'ca.key.new'), join(caDir, 'ca.key'));
      renameSync(join(caDir, 'ca.crt.new'), join(caDir, 'ca.crt'));
      store.setMeta(STARTED_KEY, String(now.getTime()));
      const previous = identity.ca.certPem;
      identity.ca = ca;
      identity.previousCaPem = previous;
      identity.server = server;
      this.o.serve(tlsMaterial(identity));
      log.info(`ca: rotation started: new CA ${caDigest(ca.certPem)} replaces ${caDigest(previous)}; join tokens of the previous CA are refused`);
      this.o.broadcast({ caUpdate: { trustBundlePem: trustBundle(identity), renew: true } });
      this.finishIfDone();
    } finally {
      this.busy = false;
    }
  }

  /** finish stops trusting the previous CA: certificates it signed are refused from now on. */
  finish(reason: string): void {
    const { identity, dataDir, log } = this.o;
    if (identity.previousCaPem === undefined) return;
    const previous = identity.previousCaPem;
    rmSync(join(dataDir, 'ca', 'previous.crt'), { force: true });
    delete identity.previousCaPem;
    this.o.serve(tlsMaterial(identity));
    log.info(`ca: rotation finished (${reason}); certificates of the previous CA ${caDigest(previous)} are refused from now on`);
    this.o.broadcast({ caUpdate: { trustBundlePem: trustBundle(identity), renew: false } });
  }

  /** noteIssued records a node certificate of the current CA, and finishes the rotation once every node holds one. */
  noteIssued(nodeId: string, serial: string, notAfterMs?: number): void {
    this.o.ledger.recordNodeCertificate(nodeId, serial, caDigest(this.o.identity.ca.certPem), notAfterMs);
    this.finishIfDone();
  }

  /** greeting tells a node that opens a session during a rotation, and has no certificate of the new CA yet, to renew. */
  greeting(nodeId: string): ManagerMessage[] {
    if (!this.rotating) return [];
    if (this.o.ledger.nodeCertificate(nodeId)?.ca === caDigest(this.o.identity.ca.certPem)) return [];
    return [{ caUpdate: { trustBundlePem: trustBundle(this.o.identity), renew: true } }];
  }

  /** handlers implements Control RotateCa and GetCaStatus; wrap them with guardService. */
  handlers(): Pick<ControlHandlers, 'RotateCa' | 'GetCaStatus'> {
    return {
      RotateCa: unary(async (req, call) => {
        const caller = callerOf(call).name;
        if (req.finish) {
          if (!this.rotating) throw new ClusterError('failed_precondition', 'ca: no rotation is in progress');
          this.finish(`ended by ${caller}`);
          return { certificatePem: '', caPem: this.o.identity.ca.certPem, status: this.status() };
        }
        // A malformed or replayed CSR is refused before anything changes.
        await checkCsr(req.csrPem);
        const claim = { keyDigest: csrKeyDigest(req.csrPem) };
        this.o.ledger.claim(claim);
        try {
          await this.rotate();
          const cert = await issueCertificate(this.o.identity.ca, {
            csrPem: req.csrPem, commonName: caller, role: 'admin', ttlMs: this.o.adminCertTtlMs ?? 365 * DAY, now: new Date(this.now()),
          });
          this.o.ledger.commit(claim, `admin ${caller}`, this.now());
          this.o.ledger.recordAdmin(cert.serial, caller);
          this.o.log.info(`ca: ${caller} rotated the CA and holds a new certificate ${cert.serial}`);
          return { certificatePem: cert.certPem, caPem: this.o.identity.ca.certPem, status: this.status() };
        } catch (err) {
          this.o.ledger.release(claim);
          throw err;
        }
      }),
      GetCaStatus: unary(() => ({ status: this.status() })),
    };
  }

  private finishIfDone(): void {
    if (!this.rotating) return;
    const s = this.status();
    if (s.nodesRenewed === s.nodesTotal) this.finish(`all ${s.nodesTotal} nodes hold a certificate of the new CA`);
  }
}
