/**
 * Mesh is the agent's part of names across hosts: it serves DNS for the
 * containers of this host, a proxy on VIP:port for every TCP and UDP port of
 * every service, one on TASK_ADDRESS:port to that task alone for every
 * serving task of a service with ports, and the routing mesh on every
 * ingress-published port. Listeners follow the registry view; endpoints are
 * read on each connection.
 */
import { canSee, DNS_ADDRESS, TASK_ADDRESS_NETWORK, type RegistryEntry } from '@cluster/core';
import { AskerOfAddress, type AddressOwner } from './askers.js';
import { DnsServer, type Upstream } from './dns.js';
import { userspaceTargets, type KernelListener } from './kernelPath.js';
import { LocalAddresses } from './netif.js';
import { TcpListener, type ProxyTarget } from './proxy.js';
import { UdpListener } from './udpProxy.js';
import type { RegistryView } from './view.js';

/** MeshOptions configure a node's mesh. */
export interface MeshOptions {
  view: RegistryView;
  /** stackSubnets lists the subnets of the stack networks of this node. */
  stackSubnets: () => Promise<{ stack: string; subnet: string }[]>;
  /** owners lists the addresses of this node's containers and their networks (external networks). @default none */
  owners?: () => Promise<AddressOwner[]>;
  /** publishAddresses are where published ports listen (the node's address). @default ['0.0.0.0'] */
  publishAddresses?: string[];
  /** dnsAddress is where DNS is served. @default DNS_ADDRESS (10.233.0.1) */
  dnsAddress?: string;
  /** dnsPort @default 53 */
  dnsPort?: number;
  /** upstreams of DNS. @default the host's resolv.conf */
  upstreams?: Upstream[];
  /** addresses manages the local addresses (DNS, VIPs and task addresses). @default /32s on lo */
  addresses?: { add(a: string): Promise<void>; remove(a: string): Promise<void>; clear(): Promise<void>; addRange?(cidr: string): Promise<void> };
  /** kernelSkips returns the local tasks the kernel path DNATs a client's connections to (kernelPath.ts), undefined if it does not handle the client: VIP and published TCP listeners pass them over for that client while other endpoints exist. @default none */
  kernelSkips?: (listener: KernelListener, source: string) => ReadonlySet<string> | undefined;
  /**
   * onPublishProblems is told, whenever it changes, which services have a
   * published port that cannot be bound here (another process holds it), with
   * the reason; an empty map when every one is bound. @default none
   */
  onPublishProblems?: (problems: ReadonlyMap<string, string>) => void;
  /** retryMs is how often listeners that could not be bound are tried again. @default 5000 */
  retryMs?: number;
  log: (msg: string) => void;
}

/** Mesh runs DNS, the service proxies and the routing mesh of one node. */
export class Mesh {
  private readonly o: MeshOptions;
  private readonly addresses: NonNullable<MeshOptions['addresses']>;
  private readonly askers: AskerOfAddress;
  private readonly listeners = new Map<string, TcpListener | UdpListener>();
  /** failed holds the listeners that could not be bound, by key: the service and why. */
  private readonly failed = new Map<string, { entry: string; why: string; publish: boolean }>();
  /** problems is the last map given to onPublishProblems (its text, to tell a change). */
  private problems = '[]';
  private retry: NodeJS.Timeout | undefined;
  private vips = new Set<string>();
  /** taskRange is whether all task addresses are local by one route (addRange). */
  private taskRange = false;
  private dns: DnsServer | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(o: MeshOptions) {
    this.o = o;
    this.addresses = o.addresses ?? new LocalAddresses();
    this.askers = new AskerOfAddress({ stackSubnets: o.stackSubnets, ...(o.owners ? { owners: o.owners } : {}) });
  }

  /** start serves DNS and follows the registry view. */
  async start(): Promise<void> {
    const address = this.o.dnsAddress ?? DNS_ADDRESS;
    try {
      await this.addresses.add(address);
      this.dns = new DnsServer({
        address,
        port: this.o.dnsPort ?? 53,
        entries: () => this.o.view.all(),
        askerOf: (ip) => this.askers.lookup(ip),
        ...(this.o.upstreams ? { upstreams: this.o.upstreams } : {}),
      });
      await this.dns.start();
      this.o.log(`mesh: DNS on ${address}`);
    } catch (err) {
      this.dns = undefined;
      this.o.log(`mesh: DNS not served on ${address}: ${(err as Error).message}`);
    }
    // The task addresses are local all at once (there may be thousands); otherwise each is added as a VIP is.
    if (this.addresses.addRange) {
      this.taskRange = await this.addresses.addRange(TASK_ADDRESS_NETWORK).then(() => true, (err: Error) => (this.o.log(`mesh: ${err.message}`), false));
    }
    this.o.view.onChange(() => this.sync());
    this.sync();
    await this.syncing;
  }

  /** stackOf returns the stack of a container address on this node, '' if none. */
  stackOf(ip: string): Promise<string> {
    return this.askers.stacks.lookup(ip);
  }

  /** listener returns a listener by key (`vip:ADDR:PORT`, `task:ADDR:PORT:TASK`, `publish:ADDR:PORT`; UDP ones `vip-udp:`, `task-udp:`, `publish-udp:`), for tests. */
  listener(key: string): TcpListener | UdpListener | undefined {
    return this.listeners.get(key);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.syncing;
    await Promise.all([...this.listeners.values()].map((l) => l.stop()));
    this.listeners.clear();
    await this.dns?.stop();
    await this.addresses.clear();
  }

  /** sync makes the listeners match the view; runs are serialized. */
  sync(): void {
    this.syncing = this.syncing.then(() => this.syncOnce()).catch((err: unknown) => this.o.log(`mesh: sync failed: ${String(err)}`));
  }

  private async syncOnce(): Promise<void> {
    if (this.stopped) return;
    const entries = this.o.view.all();
    const want = new Map<string, { host: string; port: number; entry: string; target: number; protocol: 'tcp' | 'udp'; stack?: string; task?: string; kernel?: KernelListener }>();
    const vips = new Set<string>();
    for (const e of entries) {
      for (const p of e.ports) {
        const { protocol } = p;
        const suffix = protocol === 'udp' ? '-udp' : '';
        if (e.vip) {
          vips.add(e.vip);
          want.set(`vip${suffix}:${e.vip}:${p.target}`, { host: e.vip, port: p.target, entry: e.name, target: p.target, protocol, stack: e.stack, ...(protocol === 'tcp' ? { kernel: { vip: e.vip, port: p.target } } : {}) });
        }
        for (const ep of e.endpoints) {
          if (!ep.address) continue;
          // The task in the key: an address that passed to another task gets a new listener.
          if (!this.taskRange) vips.add(ep.address);
          want.set(`task${suffix}:${ep.address}:${p.target}:${ep.taskId}`, { host: ep.address, port: p.target, entry: e.name, target: p.target, protocol, stack: e.stack, task: ep.taskId });
        }
        if (p.published > 0 && p.mode === 'ingress') {
          for (const host of this.o.publishAddresses ?? ['0.0.0.0']) {
            // Loopback clients take no kernel path (a 127/8 source cannot leave the host).
            want.set(`publish${suffix}:${host}:${p.published}`, { host, port: p.published, entry: e.name, target: p.target, protocol, ...(protocol === 'tcp' && !host.startsWith('127.') ? { kernel: { published: p.published } } : {}) });
          }
        }
      }
    }
    for (const [k, l] of this.listeners) {
      if (want.has(k)) continue;
      this.listeners.delete(k);
      await l.stop();
    }
    for (const k of this.failed.keys()) if (!want.has(k)) this.failed.delete(k);
    for (const v of this.vips) if (!vips.has(v)) await this.addresses.remove(v);
    for (const v of vips) if (!this.vips.has(v)) await this.addresses.add(v).catch((err: Error) => this.o.log(`mesh: ${err.message}`));
    this.vips = vips;
    for (const [k, w] of want) {
      if (this.listeners.has(k)) continue;
      const { stack, kernel } = w;
      const skips = kernel ? this.o.kernelSkips : undefined;
      const l = new (w.protocol === 'udp' ? UdpListener : TcpListener)({
        host: w.host,
        port: w.port,
        // The kernel path had its turn only for the clients it handles: those get the endpoints it does not DNAT to, the rest all of them.
        targets: (source?: string) => targetsOf(this.o.view.get(w.entry), w.target, w.protocol, w.task, skips && source !== undefined ? skips(kernel!, source) : undefined),
        // A VIP answers only the containers of its own stack, and of stacks on one of its external networks.
        ...(stack !== undefined ? { allow: async (ip: string) => canSee(this.o.view.get(w.entry) ?? { stack }, await this.askers.lookup(ip)) } : {}),
      });
      try {
        await l.start();
        this.listeners.set(k, l);
        this.failed.delete(k);
      } catch (err) {
        const why = (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'another process holds it' : (err as Error).message;
        if (!this.failed.has(k)) this.o.log(`mesh: cannot listen on ${w.host}:${w.port} for ${w.entry}: ${(err as Error).message}`);
        this.failed.set(k, { entry: w.entry, why: `published port ${w.port}/${w.protocol} cannot be bound on ${w.host}: ${why}`, publish: k.startsWith('publish') });
      }
    }
    this.tellProblems();
    // What could not be bound is tried again (the process holding a port may let it go), until it is bound or not wanted.
    if (this.failed.size > 0 && !this.retry && !this.stopped) {
      this.retry = setTimeout(() => {
        this.retry = undefined;
        this.sync();
      }, this.o.retryMs ?? 5000);
      this.retry.unref();
    }
  }

  /** tellProblems gives onPublishProblems the services whose published ports are not bound, when that changed. */
  private tellProblems(): void {
    const problems = new Map<string, string>();
    for (const f of this.failed.values()) if (f.publish && !problems.has(f.entry)) problems.set(f.entry, f.why);
    const text = JSON.stringify([...problems].sort());
    if (text === this.problems) return;
    this.problems = text;
    this.o.onPublishProblems?.(problems);
  }
}

/** targetsOf lists where a service's target port answers, one per serving task (only task `task`'s, when given). */
export function targetsOf(e: RegistryEntry | undefined, target: number, protocol: 'tcp' | 'udp' = 'tcp', task?: string, kernelServed?: ReadonlySet<string>): ProxyTarget[] {
  if (!e) return [];
  const out: ProxyTarget[] = [];
  const eps = kernelServed && kernelServed.size > 0 ? userspaceTargets(e.endpoints.filter((ep) => ep.ports.some((p) => p.target === target && p.protocol === protocol)), kernelServed) : e.endpoints;
  for (const ep of eps) {
    if (task !== undefined && ep.taskId !== task) continue;
    const m = ep.ports.find((p) => p.target === target && p.protocol === protocol);
    if (m) out.push({ address: ep.nodeAddress, port: m.hostPort });
  }
  return out;
}
