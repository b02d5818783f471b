/**
 * TcpListener is one listening socket of the service proxy or the routing
 * mesh: each accepted connection goes to the next serving endpoint (round
 * robin); an endpoint that refuses or does not answer in time is skipped for
 * a while and the connection tries the next one.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

/** ProxyTarget is one place a connection may go. */
export interface ProxyTarget {
  address: string;
  port: number;
}

/** TcpListenerOptions configure a TcpListener. */
export interface TcpListenerOptions {
  host: string;
  port: number;
  /** targets returns the serving endpoints, read on every connection. */
  targets: () => ProxyTarget[];
  /** allow tells whether a client address may use this listener. @default every client */
  allow?: (source: string) => boolean | Promise<boolean>;
  /** connectTimeoutMs bounds a connection attempt to one endpoint (above the 1 s SYN retransmit). @default 2000 */
  connectTimeoutMs?: number;
  /** staggerMs is how long a connection attempt may stay unanswered before the next endpoint is dialled too. @default 250 */
  staggerMs?: number;
  /** skipMs is how long an endpoint that failed is passed over (unless nothing else is left). @default 2000 */
  skipMs?: number;
  now?: () => number;
}

/** TcpListener proxies the connections of one address and port. */
export class TcpListener {
  private readonly o: TcpListenerOptions;
  private readonly now: () => number;
  private server: Server | undefined;
  private next = 0;
  private readonly failedAt = new Map<string, number>();
  private readonly open = new Set<Socket>();
  /** stats count what happened, for tests and metrics. */
  readonly stats = { accepted: 0, refused: 0, failed: 0, retried: 0 };

  constructor(o: TcpListenerOptions) {
    this.o = o;
    this.now = o.now ?? Date.now;
  }

  async start(): Promise<number> {
    const server = createServer({ pauseOnConnect: true, allowHalfOpen: true }, (sock) => void this.handle(sock));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, this.o.host, () => resolve());
    });
    server.on('error', () => undefined);
    return (server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const s of this.open) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** order returns the targets to try, starting at the round-robin position, skipping recently failed ones. */
  order(): ProxyTarget[] {
    const all = this.o.targets();
    if (all.length === 0) return [];
    const start = this.next++ % all.length;
    const rotated = [...all.slice(start), ...all.slice(0, start)];
    const now = this.now();
    const skipMs = this.o.skipMs ?? 2000;
    const fresh = rotated.filter((t) => now - (this.failedAt.get(key(t)) ?? -Infinity) >= skipMs);
    const stale = rotated.filter((t) => !fresh.includes(t));
    return [...fresh, ...stale];
  }

  private async handle(client: Socket): Promise<void> {
    this.open.add(client);
    client.on('close', () => this.open.delete(client));
    client.on('error', () => undefined);
    const source = (client.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (this.o.allow && !(await this.o.allow(source))) {
      this.stats.refused++;
      client.destroy();
      return;
    }
    const upstream = await this.connectFirst(this.order());
    if (!upstream) {
      this.stats.failed++;
      client.destroy();
      return;
    }
    if (client.destroyed) {
      upstream.destroy();
      return;
    }
    this.stats.accepted++;
    this.open.add(upstream);
    upstream.on('close', () => this.open.delete(upstream));
    splice(client, upstream);
  }

  /**
   * connectFirst dials the targets in order; when one has not answered within
   * staggerMs (a host that went silent), the next is dialled alongside it,
   * and the first to connect wins. One that fails is skipped for skipMs.
   */
  private connectFirst(targets: ProxyTarget[]): Promise<Socket | undefined> {
    return new Promise((resolve) => {
      let next = 0;
      let pending = 0;
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const launch = (): void => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        if (done || next >= targets.length) return;
        const t = targets[next++]!;
        pending++;
        if (next > 1) this.stats.retried++;
        void this.dial(t).then((s) => {
          pending--;
          if (s && done) s.destroy();
          else if (s) {
            done = true;
            if (timer) clearTimeout(timer);
            this.failedAt.delete(key(t));
            resolve(s);
          } else {
            this.failedAt.set(key(t), this.now());
            if (next < targets.length) launch();
            else if (pending === 0 && !done) {
              done = true;
              resolve(undefined);
            }
          }
        });
        if (next < targets.length) timer = setTimeout(launch, this.o.staggerMs ?? 250);
      };
      if (targets.length === 0) resolve(undefined);
      else launch();
    });
  }

  private dial(t: ProxyTarget): Promise<Socket | undefined> {
    return new Promise((resolve) => {
      const s = connect({ host: t.address, port: t.port, noDelay: true, allowHalfOpen: true });
      const timer = setTimeout(() => fail(), this.o.connectTimeoutMs ?? 2000);
      const fail = (): void => {
        clearTimeout(timer);
        s.destroy();
        resolve(undefined);
      };
      s.once('error', fail);
      s.once('connect', () => {
        clearTimeout(timer);
        s.removeListener('error', fail);
        resolve(s);
      });
    });
  }
}

function key(t: ProxyTarget): string {
  return `${t.address}:${t.port}`;
}

/**
 * splice pipes two sockets both ways. An end on one side ends the other once
 * its data is flushed (pipe); only a failure tears the other side down, so a
 * reply is never cut short by the replier's close.
 */
function splice(a: Socket, b: Socket): void {
  a.setNoDelay(true);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', (hadError) => { if (hadError) b.destroy(); });
  b.on('close', (hadError) => { if (hadError) a.destroy(); });
  a.pipe(b);
  b.pipe(a);
  a.resume();
}
