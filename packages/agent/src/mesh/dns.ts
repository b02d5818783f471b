/**
 * DnsServer answers the containers of this host over UDP and TCP: cluster
 * names from the registry (names.ts), everything else by asking the host's
 * resolvers. The asker (stack, networks) is found from its source address.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, connect, type Server, type Socket as TcpSocket } from 'node:net';
import { readFileSync } from 'node:fs';
import * as packet from 'dns-packet';
import type { Asker, RegistryEntry } from '@cluster/core';
import { lookupName } from './names.js';

/** Upstream is a resolver other names are forwarded to. */
export interface Upstream {
  address: string;
  /** @default 53 */
  port?: number;
}

/** DnsServerOptions configure a DnsServer. */
export interface DnsServerOptions {
  /** address to serve on. */
  address: string;
  /** port to serve on; 0 picks one (the same for UDP and TCP is not guaranteed). @default 53 */
  port?: number;
  /** entries returns the current registry. */
  entries: () => Iterable<RegistryEntry>;
  /** askerOf tells who a container address is (its stack and networks). */
  askerOf: (address: string) => Asker | Promise<Asker>;
  /** upstreams are the host's resolvers. @default the nameservers of /etc/resolv.conf */
  upstreams?: Upstream[];
  /** forwardTimeoutMs bounds a forwarded query. @default 2000 */
  forwardTimeoutMs?: number;
  /** ttl of cluster answers, in seconds. @default 5 */
  ttl?: number;
}

/** hostResolvers reads the nameservers of a resolv.conf, leaving out `skip`. */
export function hostResolvers(path = '/etc/resolv.conf', skip: string[] = []): Upstream[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: Upstream[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m && !skip.includes(m[1]!) && !m[1]!.includes(':')) out.push({ address: m[1]! });
  }
  return out;
}

/** DnsServer serves DNS on one address, UDP and TCP. */
export class DnsServer {
  private readonly o: DnsServerOptions;
  private udp: Socket | undefined;
  private tcp: Server | undefined;
  private readonly upstreams: Upstream[];
  /** queries counts the queries answered. */
  queries = 0;

  constructor(o: DnsServerOptions) {
    this.o = o;
    this.upstreams = o.upstreams ?? hostResolvers('/etc/resolv.conf', [o.address]);
  }

  /** start binds UDP and TCP; resolves to the UDP and TCP ports. */
  async start(): Promise<{ udpPort: number; tcpPort: number }> {
    const port = this.o.port ?? 53;
    const udp = createSocket({ type: 'udp4', reuseAddr: false });
    this.udp = udp;
    udp.on('message', (msg, rinfo) => void this.onUdp(udp, msg, rinfo));
    udp.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, this.o.address, () => resolve());
    });
    const udpPort = udp.address().port;
    const tcp = createServer((sock) => this.onTcp(sock));
    this.tcp = tcp;
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port === 0 ? udpPort : port, this.o.address, () => resolve());
    });
    return { udpPort, tcpPort: (tcp.address() as { port: number }).port };
  }

  async stop(): Promise<void> {
    this.udp?.close();
    await new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve()));
  }

  private async onUdp(udp: Socket, msg: Buffer, rinfo: RemoteInfo): Promise<void> {
    const reply = await this.answer(msg, rinfo.address, 'udp').catch(() => undefined);
    if (reply) udp.send(reply, rinfo.port, rinfo.address);
  }

  private onTcp(sock: TcpSocket): void {
    let buf = Buffer.alloc(0);
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on('error', () => undefined);
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      // Bounded: one loop turn per complete message in the buffer.
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        void this.answer(msg, sock.remoteAddress ?? '', 'tcp').then((reply) => {
          if (!reply || sock.destroyed) return;
          const head = Buffer.alloc(2);
          head.writeUInt16BE(reply.length);
          sock.write(Buffer.concat([head, reply]));
        }, () => undefined);
      }
    });
  }

  /** answer returns the reply to one query, or undefined when there is none to give. */
  private async answer(msg: Buffer, source: string, proto: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    let q: packet.Packet;
    try {
      q = packet.decode(msg);
    } catch {
      return undefined;
    }
    const question = q.questions?.[0];
    if (!question || q.type !== 'query') return undefined;
    this.queries++;
    const asker = await this.o.askerOf(source.replace(/^::ffff:/, ''));
    const found = lookupName(this.o.entries(), asker, question.name);
    const base = { id: q.id, type: 'response' as const, questions: q.questions, flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE };
    if (found.kind === 'forward') return this.forward(msg, proto, q.id ?? 0);
    if (found.kind === 'nxdomain') return packet.encode({ ...base, flags: base.flags | packet.AUTHORITATIVE_ANSWER | 3 });
    // A known name has only IPv4 addresses: other types get an empty, successful answer.
    const answers: packet.Answer[] = question.type === 'A'
      ? found.addresses.map((data) => ({ type: 'A', name: question.name, ttl: this.o.ttl ?? 5, class: 'IN', data }))
      : [];
    return packet.encode({ ...base, flags: base.flags | packet.AUTHORITATIVE_ANSWER, answers });
  }

  /** forward asks the host's resolvers in turn; SERVFAIL when none answers in time. */
  private async forward(msg: Buffer, proto: 'udp' | 'tcp', id: number): Promise<Buffer> {
    const timeoutMs = this.o.forwardTimeoutMs ?? 2000;
    for (const up of this.upstreams) {
      const reply = await (proto === 'udp' ? askUdp(up, msg, timeoutMs) : askTcp(up, msg, timeoutMs)).catch(() => undefined);
      if (reply) return reply;
    }
    const q = packet.decode(msg);
    return packet.encode({ id, type: 'response', questions: q.questions, flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | 2 });
  }
}

function askUdp(up: Upstream, msg: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => done(new Error('timeout')), timeoutMs);
    const done = (err: Error | undefined, reply?: Buffer): void => {
      clearTimeout(timer);
      s.close();
      if (err) reject(err);
      else resolve(reply!);
    };
    s.on('error', (err) => done(err));
    s.on('message', (reply) => done(undefined, reply));
    s.send(msg, up.port ?? 53, up.address);
  });
}

function askTcp(up: Upstream, msg: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect(up.port ?? 53, up.address);
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => done(new Error('timeout')), timeoutMs);
    const done = (err: Error | undefined, reply?: Buffer): void => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(reply!);
    };
    sock.on('error', (err) => done(err));
    sock.on('connect', () => {
      const head = Buffer.alloc(2);
      head.writeUInt16BE(msg.length);
      sock.write(Buffer.concat([head, msg]));
    });
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(undefined, buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
  });
}
