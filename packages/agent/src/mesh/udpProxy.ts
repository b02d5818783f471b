/**
 * UdpListener is one UDP socket of the service proxy: datagrams from one
 * client address and port form a flow, which goes to one serving endpoint
 * (the next one, round robin, when the flow starts) through a socket of its
 * own, so replies find their way back. A flow silent for idleMs is closed.
 * A datagram costs no timer: a flow notes when it last saw one, and its
 * single timer, when it fires, closes the flow or waits for the rest.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { AllowCache, clientAddress } from './allowCache.js';
import type { ProxyTarget } from './proxy.js';

/** UdpListenerOptions configure a UdpListener. */
export interface UdpListenerOptions {
  host: string;
  port: number;
  /** targets returns the serving endpoints, read when a flow starts. */
  targets: () => ProxyTarget[];
  /** allow tells whether a client address may use this listener. @default every client */
  allow?: (source: string) => boolean | Promise<boolean>;
  /** allowCacheMs is how long a client address that was allowed stays allowed without asking again (refusals are not cached). @default 1000 */
  allowCacheMs?: number;
  /** idleMs closes a flow that has seen no datagram either way for this long. @default 30000 */
  idleMs?: number;
  /** maxFlows bounds the open flows; datagrams that would start one more are dropped. @default 4096 */
  maxFlows?: number;
  /** now is the clock intervals are measured on (monotonic: a wall-clock step changes no interval). @default performance.now */
  now?: () => number;
}

interface Flow {
  socket: Socket;
  target: ProxyTarget;
  timer: NodeJS.Timeout;
  /** seen is when the flow last carried a datagram either way. */
  seen: number;
}

/** UdpListener proxies the datagrams of one address and port. */
export class UdpListener {
  private readonly o: UdpListenerOptions;
  private server: Socket | undefined;
  private next = 0;
  private readonly flows = new Map<string, Flow>();
  /** starting holds the datagrams of flows whose client is being checked (allow is async). */
  private readonly starting = new Map<string, Buffer[]>();
  /** stats count what happened, for tests and metrics. */
  readonly stats = { accepted: 0, refused: 0, failed: 0, datagrams: 0 };
  private readonly now: () => number;
  private readonly idleMs: number;
  private readonly allowed: AllowCache;

  constructor(o: UdpListenerOptions) {
    this.o = o;
    this.now = o.now ?? (() => performance.now());
    this.idleMs = o.idleMs ?? 30_000;
    this.allowed = new AllowCache(o.allowCacheMs ?? 1000, this.now);
  }

  /** open is the number of open flows. */
  get open(): number {
    return this.flows.size;
  }

  async start(): Promise<number> {
    const server = createSocket({ type: 'udp4', reuseAddr: false });
    this.server = server;
    server.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.bind(this.o.port, this.o.host, () => resolve());
    });
    server.on('error', () => undefined);
    return server.address().port;
  }

  async stop(): Promise<void> {
    for (const k of [...this.flows.keys()]) this.close(k);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    const k = `${rinfo.address}:${rinfo.port}`;
    const flow = this.flows.get(k);
    if (flow) {
      this.forward(flow, msg);
      return;
    }
    const waiting = this.starting.get(k);
    if (waiting) {
      if (waiting.length < 64) waiting.push(msg);
      return;
    }
    if (this.flows.size + this.starting.size >= (this.o.maxFlows ?? 4096)) {
      this.stats.failed++;
      return;
    }
    const allow = this.o.allow;
    const source = clientAddress(rinfo.address);
    if (!allow || this.allowed.allowed(source)) return this.startFlow(k, rinfo, [msg], true);
    let answer: boolean | Promise<boolean>;
    try {
      answer = allow(source);
    } catch {
      answer = false;
    }
    if (typeof answer === 'boolean') return this.startFlow(k, rinfo, [msg], answer);
    this.starting.set(k, [msg]);
    answer.then((ok) => ok, () => false).then((ok) => {
      const queued = this.starting.get(k) ?? [];
      this.starting.delete(k);
      this.startFlow(k, rinfo, queued, ok);
    });
  }

  private startFlow(k: string, rinfo: RemoteInfo, queued: Buffer[], allowed: boolean): void {
    if (!allowed) {
      this.stats.refused++;
      return;
    }
    if (this.o.allow) this.allowed.remember(clientAddress(rinfo.address));
    const all = this.o.targets();
    const server = this.server;
    if (all.length === 0 || !server) {
      this.stats.failed++;
      return;
    }
    const target = all[this.next++ % all.length]!;
    const socket = createSocket('udp4');
    socket.on('error', () => this.close(k));
    const flow: Flow = { socket, target, timer: setTimeout(() => this.expire(k, flow), this.idleMs), seen: this.now() };
    flow.timer.unref();
    socket.on('message', (reply) => {
      flow.seen = this.now();
      server.send(reply, rinfo.port, rinfo.address);
    });
    this.flows.set(k, flow);
    this.stats.accepted++;
    for (const m of queued) this.forward(flow, m);
  }

  private forward(flow: Flow, msg: Buffer): void {
    this.stats.datagrams++;
    flow.seen = this.now();
    flow.socket.send(msg, flow.target.port, flow.target.address);
  }

  /** expire closes a flow that has been silent for idleMs, or waits for the rest of that time. */
  private expire(k: string, flow: Flow): void {
    if (this.flows.get(k) !== flow) return;
    const left = flow.seen + this.idleMs - this.now();
    if (left <= 0) return this.close(k);
    flow.timer = setTimeout(() => this.expire(k, flow), left);
    flow.timer.unref();
  }

  private close(k: string): void {
    const f = this.flows.get(k);
    if (!f) return;
    this.flows.delete(k);
    clearTimeout(f.timer);
    try {
      f.socket.close();
    } catch {
      // Closed already.
    }
  }
}
