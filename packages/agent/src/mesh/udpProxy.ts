/**
 * UdpListener is one UDP socket of the service proxy: datagrams from one
 * client address and port form a flow, which goes to one serving endpoint
 * (the next one, round robin, when the flow starts) through a socket of its
 * own, so replies find their way back. A flow silent for idleMs is closed.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { ProxyTarget } from './proxy.js';

/** UdpListenerOptions configure a UdpListener. */
export interface UdpListenerOptions {
  host: string;
  port: number;
  /** targets returns the serving endpoints, read when a flow starts. */
  targets: () => ProxyTarget[];
  /** allow tells whether a client address may use this listener. @default every client */
  allow?: (source: string) => boolean | Promise<boolean>;
  /** idleMs closes a flow that has seen no datagram either way for this long. @default 30000 */
  idleMs?: number;
  /** maxFlows bounds the open flows; datagrams that would start one more are dropped. @default 4096 */
  maxFlows?: number;
}

interface Flow {
  socket: Socket;
  target: ProxyTarget;
  timer: NodeJS.Timeout;
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

  constructor(o: UdpListenerOptions) {
    this.o = o;
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
      this.forward(k, flow, msg);
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
    this.starting.set(k, [msg]);
    void this.startFlow(k, rinfo);
  }

  private async startFlow(k: string, rinfo: RemoteInfo): Promise<void> {
    const source = rinfo.address.replace(/^::ffff:/, '');
    const allowed = this.o.allow ? await Promise.resolve(this.o.allow(source)).catch(() => false) : true;
    const queued = this.starting.get(k) ?? [];
    this.starting.delete(k);
    if (!allowed) {
      this.stats.refused++;
      return;
    }
    const all = this.o.targets();
    const server = this.server;
    if (all.length === 0 || !server) {
      this.stats.failed++;
      return;
    }
    const target = all[this.next++ % all.length]!;
    const socket = createSocket('udp4');
    socket.on('error', () => this.close(k));
    socket.on('message', (reply) => {
      const f = this.flows.get(k);
      if (!f) return;
      this.touch(k, f);
      server.send(reply, rinfo.port, rinfo.address);
    });
    const flow: Flow = { socket, target, timer: setTimeout(() => this.close(k), this.o.idleMs ?? 30_000) };
    flow.timer.unref();
    this.flows.set(k, flow);
    this.stats.accepted++;
    for (const m of queued) this.forward(k, flow, m);
  }

  private forward(k: string, flow: Flow, msg: Buffer): void {
    this.stats.datagrams++;
    this.touch(k, flow);
    flow.socket.send(msg, flow.target.port, flow.target.address);
  }

  private touch(k: string, flow: Flow): void {
    clearTimeout(flow.timer);
    flow.timer = setTimeout(() => this.close(k), this.o.idleMs ?? 30_000);
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
