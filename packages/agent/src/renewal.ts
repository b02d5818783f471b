import { X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { loadClusterProto } from '@cluster/api';
import { CERT_BACKDATE_MS, ClusterError } from '@cluster/core';
import { createKeyAndCsr } from '@cluster/api';
import { checkManagerIdentity } from './join.js';

/** NodeCertificate is a node's key and certificate, both PEM. */
export interface NodeCertificate {
  certPem: string;
  keyPem: string;
}

/** RenewerOptions configure a CertificateRenewer. */
export interface RenewerOptions {
  manager: string;
  caPem: string;
  /** current is the certificate in use now. */
  current: NodeCertificate;
  /** save stores a renewed certificate (data dir) before it is used. */
  save: (c: NodeCertificate) => void;
  /** onRenewed hands the renewed certificate to whoever opens connections. */
  onRenewed: (c: NodeCertificate) => void;
  log: (msg: string) => void;
  /** random returns a number in [0, 1). @default Math.random */
  random?: () => number;
  /** retryMs is the wait after a failed renewal. @default 30000 */
  retryMs?: number;
  now?: () => number;
}

// Issued certificates start this long before they were issued (core
// CERT_BACKDATE_MS), so the lifetime that counts starts this much later.
const BACKDATE_MS = CERT_BACKDATE_MS;
// setTimeout fires at once for longer delays; longer waits are chained.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * renewalTime is when to renew a certificate valid from notBefore to
 * notAfter: at a random point between 50% and 80% of its lifetime, as Swarm
 * does, so that nodes joined together do not all renew at once. `random` is
 * in [0, 1).
 */
export function renewalTime(notBefore: number, notAfter: number, random: number): number {
  const start = Math.min(notBefore + BACKDATE_MS, notAfter);
  const life = notAfter - start;
  return start + life * (0.5 + 0.3 * random);
}

/** certificateValidity reads notBefore and notAfter (ms since the epoch) of a PEM certificate. */
export function certificateValidity(certPem: string): { notBefore: number; notAfter: number } {
  // Node 20 gives validity as text only ("Mar  1 13:00:00 2026 GMT"), which Date parses.
  const cert = new X509Certificate(certPem);
  const notBefore = new Date(cert.validFrom).getTime();
  const notAfter = new Date(cert.validTo).getTime();
  if (Number.isNaN(notBefore) || Number.isNaN(notAfter)) throw new ClusterError('internal', 'certificate: unreadable validity');
  return { notBefore, notAfter };
}

/**
 * CertificateRenewer renews the node certificate before it expires: a new
 * key and CSR, sent over mTLS with the current certificate to
 * Dispatcher.RenewCertificate. The renewed certificate is saved, then handed
 * on for new connections; the session open now is left alone.
 */
export class CertificateRenewer {
  private readonly o: RenewerOptions;
  private readonly now: () => number;
  private current: NodeCertificate;
  private caPem: string;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(o: RenewerOptions) {
    this.o = o;
    this.now = o.now ?? Date.now;
    this.current = o.current;
    this.caPem = o.caPem;
  }

  /** useCa makes later renewals trust `caPem` (one or more CA certificates) for the manager. */
  useCa(caPem: string): void {
    this.caPem = caPem;
  }

  /** start schedules the next renewal of the current certificate. */
  start(): void {
    const { notBefore, notAfter } = certificateValidity(this.current.certPem);
    const at = renewalTime(notBefore, notAfter, (this.o.random ?? Math.random)());
    this.o.log(`renewal: certificate valid until ${new Date(notAfter).toISOString()}; renewing at ${new Date(at).toISOString()}`);
    this.schedule(at);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** renewNow renews at once and returns the new certificate; the next scheduled renewal follows from it. */
  async renewNow(): Promise<NodeCertificate> {
    const { keyPem, csrPem } = await createKeyAndCsr('node');
    const proto = loadClusterProto();
    const creds = grpc.credentials.createSsl(Buffer.from(this.caPem), Buffer.from(this.current.keyPem), Buffer.from(this.current.certPem), {
      checkServerIdentity: checkManagerIdentity,
    });
    const client = new proto.Dispatcher(this.o.manager, creds, { 'grpc.ssl_target_name_override': 'manager' });
    try {
      const res = await new Promise<{ certificatePem: string }>((resolve, reject) => {
        client.RenewCertificate({ csrPem }, { deadline: Date.now() + 10000 }, (err, r) =>
          err ? reject(new ClusterError('unavailable', `renewal: ${err.details || err.message}`, { cause: err, retryable: true })) : resolve(r!));
      });
      const next = { certPem: res.certificatePem, keyPem };
      this.o.save(next);
      this.current = next;
      this.o.onRenewed(next);
      return next;
    } finally {
      client.close();
    }
  }

  /**
   * renewSoon renews at once, in the background, then schedules the next
   * renewal from the new certificate; a failure is retried as usual.
   */
  renewSoon(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    void this.attempt();
  }

  private schedule(at: number): void {
    if (this.stopped) return;
    const delay = Math.max(0, at - this.now());
    this.timer = setTimeout(() => {
      if (delay > MAX_TIMER_MS) this.schedule(at);
      else void this.attempt();
    }, Math.min(delay, MAX_TIMER_MS));
    this.timer.unref();
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.renewNow();
      if (!this.stopped) this.start();
    } catch (err) {
      const { notAfter } = certificateValidity(this.current.certPem);
      const message = err instanceof Error ? err.message : String(err);
      if (this.now() >= notAfter) {
        this.o.log(`renewal: failed (${message}); the certificate expired at ${new Date(notAfter).toISOString()}: the node must join again`);
        return;
      }
      const retry = Math.min(this.o.retryMs ?? 30000, Math.max(1000, (notAfter - this.now()) / 4));
      this.o.log(`renewal: failed (${message}); retrying in ${Math.round(retry / 1000)} s`);
      this.schedule(this.now() + retry);
    }
  }
}
