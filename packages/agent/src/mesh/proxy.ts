/**
 * TcpListener is one listening socket of the service proxy or the routing
 * mesh: each accepted connection goes to the next serving endpoint (round
 * robin); an endpoint that refuses or does not answer in time is skipped for
 * a while and the connection tries the next one.
 *
 * The path of one connection is kept lean, since a proxy hop is paid on
 * every new connection: no promise when the allow check answers at once or
 * from its cache, no copy of the endpoint list unless an endpoint failed
 * recently, no timer per dial (one sweep per listener watches the dials in
 * flight), and bytes forwarded by a `data` handler with backpressure.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { AllowCache, clientAddress } from './allowCache.js';

/** ProxyTarget is one place a connection may go. */
export interface ProxyTarget {
  address: string;
  port: number;
}

/** TcpListenerOptions configure a TcpListener. */
export interface TcpListenerOptions {
  host: string;
  port: number;
  /** targets returns the serving endpoints for a client address, read on every connection. */
  targets: (source: string) => ProxyTarget[];
  /** allow tells whether a client address may use this listener. @default every client */
  allow?: (source: string) => boolean | Promise<boolean>;
  /** allowCacheMs is how long a client address that was allowed stays allowed without asking again (refusals are not cached). @default 1000 */
  allowCacheMs?: number;
  /** connectTimeoutMs bounds a connection attempt to one endpoint (above the 1 s SYN retransmit). @default 2000 */
  connectTimeoutMs?: number;
  /** staggerMs is how long a connection attempt may stay unanswered before the next endpoint is dialled too. @default 250 */
  staggerMs?: number;
  /** skipMs is how long an endpoint that failed is passed over (unless nothing else is left). @default 2000 */
  skipMs?: number;
  /** now is the clock intervals are measured on (monotonic: a wall-clock step changes no interval). @default performance.now */
  now?: () => number;
}

/** Connection is one accepted client on its way to an endpoint. */
interface Connection {
  client: Socket;
  /** targets still to dial, in order; undefined until the first dial needs a second one. */
  rest: ProxyTarget[] | undefined;
  all: ProxyTarget[];
  start: number;
  /** dials in flight. */
  pending: number;
  done: boolean;
}

/** Dial is one connection attempt to one endpoint. */
interface Dial {
  conn: Connection;
  target: ProxyTarget;
  socket: Socket;
  startedAt: number;
  /** staggered is set once the next endpoint was dialled alongside this one. */
  staggered: boolean;
  onError: () => void;
}

/** TcpListener proxies the connections of one address and port. */
export class TcpListener {
  private readonly o: TcpListenerOptions;
  private readonly now: () => number;
  private readonly staggerMs: number;
  private readonly connectTimeoutMs: number;
  private readonly skipMs: number;
  private server: Server | undefined;
  private next = 0;
  private readonly failedAt = new Map<string, number>();
  private readonly allowed: AllowCache;
  private readonly open = new Set<Socket>();
  private readonly dialing = new Set<Dial>();
  private sweepTimer: NodeJS.Timeout | undefined;
  /** stats count what happened, for tests and metrics. */
  readonly stats = { accepted: 0, refused: 0, failed: 0, retried: 0 };

  constructor(o: TcpListenerOptions) {
    this.o = o;
    this.now = o.now ?? (() => performance.now());
    this.staggerMs = o.staggerMs ?? 250;
    this.connectTimeoutMs = o.connectTimeoutMs ?? 2000;
    this.skipMs = o.skipMs ?? 2000;
    this.allowed = new AllowCache(o.allowCacheMs ?? 1000, this.now);
  }

  async start(): Promise<number> {
    // pauseOnConnect: the client's bytes stay in the kernel until an endpoint answered.
    const server = createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true }, (sock) => this.accept(sock));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, this.o.host, () => resolve());
    });
    server.on('error', () => undefined);
    return (server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const d of this.dialing) d.socket.destroy();
    this.dialing.clear();
    for (const s of this.open) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** orderFrom lists the targets from the round-robin position `start` on, recently failed ones last; it forgets failures older than skipMs. */
  private orderFrom(all: ProxyTarget[], start: number): ProxyTarget[] {
    const rotated = start === 0 ? all.slice() : all.slice(start).concat(all.slice(0, start));
    if (this.failedAt.size === 0) return rotated;
    const now = this.now();
    for (const [k, at] of this.failedAt) if (now - at >= this.skipMs) this.failedAt.delete(k);
    const fresh: ProxyTarget[] = [];
    const stale: ProxyTarget[] = [];
    for (const t of rotated) (this.failedAt.has(key(t)) ? stale : fresh).push(t);
    return fresh.concat(stale);
  }

  private accept(client: Socket): void {
    this.open.add(client);
    client.on('close', () => this.open.delete(client));
    client.on('error', noop);
    const allow = this.o.allow;
    const source = clientAddress(client.remoteAddress);
    if (!allow) return this.route(client, source);
    if (this.allowed.allowed(source)) return this.route(client, source);
    const answer = allow(source);
    if (typeof answer === 'boolean') return this.admit(client, source, answer);
    answer.then((ok) => this.admit(client, source, ok), () => this.admit(client, source, false));
  }

  private admit(client: Socket, source: string, ok: boolean): void {
    if (!ok) {
      this.stats.refused++;
      client.destroy();
      return;
    }
    this.allowed.remember(source);
    this.route(client, source);
  }

  /** route dials the next endpoint for an admitted client (the ordered list is made only when an endpoint failed lately). */
  private route(client: Socket, source: string): void {
    if (client.destroyed) return;
    const all = this.o.targets(source);
    if (all.length === 0) return this.fail(client);
    const start = this.next++ % all.length;
    const conn: Connection = { client, rest: undefined, all, start, pending: 0, done: false };
    if (this.failedAt.size === 0) this.dial(conn, all[start]!);
    else {
      conn.rest = this.orderFrom(all, start);
      this.dial(conn, conn.rest.shift()!);
    }
  }

  /** dialNext dials the next target of a connection; false when none is left. */
  private dialNext(conn: Connection): boolean {
    // The list beyond the first target is made on the first need; the first target was tried already.
    conn.rest ??= this.orderFrom(conn.all, conn.start).filter((t) => t !== conn.all[conn.start]);
    const t = conn.rest.shift();
    if (!t) return false;
    this.stats.retried++;
    this.dial(conn, t);
    return true;
  }

  private dial(conn: Connection, target: ProxyTarget): void {
    const socket = connect({ host: target.address, port: target.port, noDelay: true, allowHalfOpen: true });
    const d: Dial = { conn, target, socket, startedAt: this.now(), staggered: false, onError: () => this.dialFailed(d) };
    conn.pending++;
    this.dialing.add(d);
    this.sweepTimer ??= setTimeout(() => this.sweep(), this.staggerMs);
    socket.once('connect', () => this.connected(d));
    socket.once('error', d.onError);
  }

  private connected(d: Dial): void {
    this.dialing.delete(d);
    const { conn, socket } = d;
    conn.pending--;
    socket.removeListener('error', d.onError);
    if (this.failedAt.size > 0) this.failedAt.delete(key(d.target));
    if (conn.done || conn.client.destroyed) {
      socket.destroy();
      if (!conn.done) conn.done = true;
      return;
    }
    conn.done = true;
    this.stats.accepted++;
    this.open.add(socket);
    socket.on('close', () => this.open.delete(socket));
    splice(conn.client, socket);
  }

  private dialFailed(d: Dial): void {
    if (!this.dialing.delete(d)) return;
    d.socket.destroy();
    const { conn } = d;
    conn.pending--;
    this.failedAt.set(key(d.target), this.now());
    if (conn.done) return;
    // A dial that was staggered already has its successor in flight.
    if (!d.staggered && this.dialNext(conn)) return;
    if (conn.pending === 0 && !this.dialNext(conn)) {
      conn.done = true;
      this.fail(conn.client);
    }
  }

  /** sweep gives up on dials older than connectTimeoutMs and staggers those older than staggerMs; it runs only while dials are in flight. */
  private sweep(): void {
    // sweepTimer stays set while the loop runs, so dials made in it do not arm a second timer.
    const now = this.now();
    let wake = Infinity;
    for (const d of this.dialing) {
      const age = now - d.startedAt;
      if (age >= this.connectTimeoutMs) {
        this.dialFailed(d);
        continue;
      }
      if (!d.staggered && age >= this.staggerMs) {
        d.staggered = true;
        if (!d.conn.done) this.dialNext(d.conn);
      }
      wake = Math.min(wake, d.staggered ? d.startedAt + this.connectTimeoutMs : d.startedAt + this.staggerMs);
    }
    this.sweepTimer = wake < Infinity ? setTimeout(() => this.sweep(), Math.max(1, wake - now)) : undefined;
  }

  private fail(client: Socket): void {
    this.stats.failed++;
    client.destroy();
  }
}

function noop(): void {}

function key(t: ProxyTarget): string {
  return `${t.address}:${t.port}`;
}

/**
 * splice forwards bytes both ways. An end on one side ends the other once
 * its data is flushed (half-close); only a failure tears the other side
 * down, so a reply is never cut short by the replier's close. A side whose
 * peer cannot take more is paused until the peer drains.
 */
export function splice(a: Socket, b: Socket): void {
  forward(a, b);
  forward(b, a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', (hadError) => { if (hadError) b.destroy(); });
  b.on('close', (hadError) => { if (hadError) a.destroy(); });
  a.resume();
}

function forward(from: Socket, to: Socket): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', () => from.resume());
  from.on('end', () => to.end());
}
