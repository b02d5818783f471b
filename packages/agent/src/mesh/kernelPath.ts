/**
 * The kernel path of the service proxy and the routing mesh: a new TCP
 * connection whose chosen replica runs on this node is DNATed by netfilter
 * straight to the container (its address, the target port) and never meets
 * the userspace listener; the rest falls through to the listener on VIP:port
 * (or the published port), which then serves only the other nodes'
 * endpoints. The kernel cannot try another endpoint when one does not
 * answer, so only local replicas, which the agent sees die at once, take
 * this path.
 *
 * Balancing stays even: with k local endpoints out of n, the i-th local rule
 * (i = 0..k-1) matches with probability 1/(n-i) of what reaches it, so each
 * local endpoint gets 1/n of the connections and the userspace listener the
 * remaining (n-k)/n; with k = n the last rule takes all.
 *
 * The allow check of VIPs and task addresses holds here too: only sources in
 * the subnets of the service's own stack are DNATed (containers of other
 * stacks on a shared external network, and everything else, fall through to
 * the listener, which decides as before), and only to the replica's address
 * on the client's own network: the engine isolates bridges from each other
 * for every packet, not only the first. For the same reason a published
 * port is DNATed for clients that do not come from a bridge (other hosts,
 * and this host itself); containers fall through to its listener. UDP stays
 * in userspace.
 *
 * The listeners tell by the client's address whether the kernel path had
 * its turn (`kernelSkips`, from the `clients` the rules were made with): a
 * client it handles gets the listener's endpoints without the local ones it
 * DNATs to; every other client (a container of another stack on a shared
 * network at a VIP, a container at a published port) gets them all.
 *
 * A client and a replica on the same bridge need the bridge's traffic to
 * pass netfilter (`br_netfilter`, `net.bridge.bridge-nf-call-iptables = 1`,
 * which the engine sets): the replica answers the client straight over the
 * bridge, and only conntrack turns the reply's source back into the VIP.
 * Without it the kernel path stays off and the listeners serve every endpoint.
 */
import { readFile } from 'node:fs/promises';
import { TASK_ADDRESS_NETWORK, VIP_NETWORK, type RegistryEntry } from '@cluster/core';
import { inSubnet, ipv4ToNumber } from './subnets.js';
import { BRIDGES } from './isolationRules.js';

/** KernelInput is what the rules are made from. */
export interface KernelInput {
  entries: RegistryEntry[];
  nodeId: string;
  /** locals maps a running task of this node to its container's addresses, one per network. */
  locals: ReadonlyMap<string, readonly string[]>;
  /** subnets are the subnets of the stack networks of this node. */
  subnets: readonly { stack: string; subnet: string }[];
  /** publishAddresses are where published ports listen; 0.0.0.0 means every local address. Loopback ones are left to userspace (a 127/8 source cannot leave the host). */
  publishAddresses: readonly string[];
  /** bridges are the IPv4 subnets of this node's bridge networks and their gateways (this host's address there): a source in one, other than its gateway, comes from a bridge. @default none */
  bridges?: readonly Bridge[];
}

/** Bridge is one IPv4 subnet of a bridge network of this node. */
export interface Bridge {
  subnet: string;
  gateway: string;
}

/** Range is a subnet as the first and last address, as numbers. */
type Range = readonly [number, number];

/**
 * KernelClients tell which clients of a userspace listener the kernel path
 * handles, and the local tasks it DNATs them to.
 */
export interface KernelClients {
  /** vips maps a VIP and port to the source subnets that have DNAT rules, each with the tasks they DNAT to. */
  vips: Map<string, Map<number, { subnet: Range; tasks: ReadonlySet<string> }[]>>;
  /** published maps a published port with DNAT rules to the tasks they DNAT to (for every client not from a bridge). */
  published: Map<number, ReadonlySet<string>>;
  /** bridges are where containers' connections come from; their gateways are this host's. */
  bridges: { subnet: Range; gateway: number }[];
}

/** KernelRules are lines for the agent's chains, and the tasks they serve. */
export interface KernelRules {
  /** nat are the rule specs (after `-A CHAIN`) of the DNAT chain, jumped to from nat PREROUTING and OUTPUT. */
  nat: string[];
  /** forward are the rule specs that let the DNATed connections through the filter FORWARD path (the engine drops new connections to unpublished container ports). */
  forward: string[];
  /** served are the tasks that have rules. */
  served: Set<string>;
  /** clients are the sources the rules handle, for the userspace listeners (kernelSkips). */
  clients: KernelClients;
}

/** probability formats 1/m for `--probability` (iptables takes a decimal). */
export function probability(m: number): string {
  return (1 / m).toFixed(8);
}

/** kernelRules returns the DNAT rules for the local endpoints of the view. */
export function kernelRules(i: KernelInput): KernelRules {
  const nat: string[] = [];
  const served = new Set<string>();
  const published = new Map<number, { target: number; ips: string[]; n: number; tasks: Set<string> }>();
  const clients: KernelClients = { vips: new Map(), published: new Map(), bridges: [] };
  for (const e of [...i.entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const sources = i.subnets.filter((s) => s.stack === e.stack).map((s) => s.subnet).filter(isCidr).sort();
    // Addresses from the registry go into rules only as checked IPv4 addresses (a VIP that is not one makes no rule).
    const vip = ipv4ToNumber(e.vip) >= 0 ? e.vip : '';
    for (const p of e.ports) {
      if (p.protocol !== 'tcp' || !isPort(p.target) || (p.published !== 0 && !isPort(p.published))) continue;
      const eps = e.endpoints.filter((ep) => ep.ports.some((m) => m.target === p.target && m.protocol === 'tcp'));
      const local = eps.filter((ep) => ep.nodeId === i.nodeId && (i.locals.get(ep.taskId) ?? []).length > 0);
      for (const ep of local) served.add(ep.taskId);
      for (const s of sources) {
        // The replicas' addresses on the client's network; a replica not on it is left to the listener.
        // (inSubnet holds only for an IPv4 address: what `on` returns may go into a rule.)
        const on = (ep: (typeof local)[number]): string | undefined => i.locals.get(ep.taskId)?.find((a) => inSubnet(a, s));
        const ips = local.map(on).filter((a): a is string => a !== undefined);
        if (vip && ips.length > 0) {
          nat.push(...spread(`-s ${s} -d ${vip}/32 -p tcp -m tcp --dport ${p.target}`, ips, p.target, eps.length));
          const byPort = clients.vips.get(vip) ?? new Map<number, { subnet: Range; tasks: ReadonlySet<string> }[]>();
          const list = byPort.get(p.target) ?? [];
          list.push({ subnet: range(s), tasks: new Set(local.filter((ep) => on(ep) !== undefined).map((ep) => ep.taskId)) });
          byPort.set(p.target, list);
          clients.vips.set(vip, byPort);
        }
        for (const ep of local) {
          const ip = on(ep);
          if (ep.address && ipv4ToNumber(ep.address) >= 0 && ip) nat.push(`-s ${s} -d ${ep.address}/32 -p tcp -m tcp --dport ${p.target} -j DNAT --to-destination ${ip}:${p.target}`);
        }
      }
      const first = local.map((ep) => i.locals.get(ep.taskId)![0]!).filter((a) => ipv4ToNumber(a) >= 0);
      if (p.published > 0 && p.mode === 'ingress' && first.length > 0) published.set(p.published, { target: p.target, ips: first, n: eps.length, tasks: new Set(local.map((ep) => ep.taskId)) });
    }
  }
  const dests = i.publishAddresses.includes('0.0.0.0')
    ? ['-m addrtype --dst-type LOCAL']
    : [...new Set(i.publishAddresses)].filter((a) => !a.startsWith('127.')).map((a) => `-d ${a}/32`);
  const forward = [`-m conntrack --ctstate DNAT --ctorigdst ${VIP_NETWORK}/16 -j ACCEPT`, `-m conntrack --ctstate DNAT --ctorigdst ${TASK_ADDRESS_NETWORK} -j ACCEPT`];
  // Containers reach published ports through the listener (their replica may be on another bridge).
  if (published.size > 0 && dests.length > 0) {
    for (const b of BRIDGES) nat.push(`-i ${b} -j RETURN`);
    clients.bridges = (i.bridges ?? []).map((b) => ({ subnet: range(b.subnet), gateway: ipv4ToNumber(b.gateway) }));
  }
  for (const [port, w] of [...published].sort((a, b) => a[0] - b[0])) {
    if (dests.length > 0) clients.published.set(port, w.tasks);
    for (const d of dests) nat.push(...spread(`${d} -p tcp -m tcp --dport ${port}`, w.ips, w.target, w.n));
    for (const ip of w.ips) forward.push(`-d ${ip}/32 -p tcp -m tcp --dport ${w.target} -m conntrack --ctstate DNAT --ctorigdstport ${port} -j ACCEPT`);
  }
  return { nat, forward, served, clients };
}

/** isCidr tells whether a subnet is an IPv4 CIDR (`10.0.0.0/24`) that may go into a rule. */
function isCidr(cidr: string): boolean {
  const [base, bits, more] = cidr.split('/');
  return more === undefined && ipv4ToNumber(base ?? '') >= 0 && /^\d{1,2}$/.test(bits ?? '') && Number(bits) <= 32;
}

/** isPort tells whether a port number may go into a rule. */
function isPort(port: number): boolean {
  return Number.isInteger(port) && port > 0 && port < 65536;
}

/** range returns a CIDR as its first and last address ([1, 0], matching nothing, if it is not one). */
function range(cidr: string): Range {
  const [base, bits] = cidr.split('/');
  const b = ipv4ToNumber(base ?? '');
  const n = Number(bits);
  if (b < 0 || !Number.isInteger(n) || n < 0 || n > 32) return [1, 0];
  const size = 2 ** (32 - n);
  const first = Math.floor(b / size) * size;
  return [first, first + size - 1];
}

/** KernelListener names a userspace listener the kernel path may serve before it: a VIP's port, or a published port (on a non-loopback address). */
export type KernelListener = { vip: string; port: number } | { published: number };

/**
 * kernelSkips returns the local tasks a listener passes over for a client
 * at `source` (the ones the kernel path DNATs that client's connections
 * to), or undefined when the kernel path does not handle the client: at a
 * VIP, a source in a subnet with DNAT rules; at a published port, any
 * source not from a bridge (this host's own addresses there are not).
 * Mirrors the rules kernelRules makes from the same input.
 */
export function kernelSkips(c: KernelClients, l: KernelListener, source: string): ReadonlySet<string> | undefined {
  if ('vip' in l) {
    const list = c.vips.get(l.vip)?.get(l.port);
    if (!list) return undefined;
    const a = ipv4ToNumber(source);
    for (const s of list) if (a >= s.subnet[0] && a <= s.subnet[1]) return s.tasks;
    return undefined;
  }
  const tasks = c.published.get(l.published);
  if (!tasks) return undefined;
  const a = ipv4ToNumber(source);
  for (const b of c.bridges) if (a >= b.subnet[0] && a <= b.subnet[1] && a !== b.gateway) return undefined;
  return tasks;
}

/** spread sends 1/n of the connections matching `match` to each of the local addresses. */
function spread(match: string, ips: string[], port: number, n: number): string[] {
  return ips.map((ip, k) => {
    const left = n - k;
    const stat = left > 1 ? ` -m statistic --mode random --probability ${probability(left)}` : '';
    return `${match}${stat} -j DNAT --to-destination ${ip}:${port}`;
  });
}

/**
 * userspaceTargets filters a listener's endpoints: those the kernel serves
 * are passed over while any other is left (the kernel already sent their
 * share of the connections to them).
 */
export function userspaceTargets<T extends { taskId: string }>(eps: T[], served: ReadonlySet<string>): T[] {
  if (served.size === 0) return eps;
  const rest = eps.filter((ep) => !served.has(ep.taskId));
  return rest.length > 0 ? rest : eps;
}

/** kernelChainOf names the nat chain of the kernel path, in the scheme of the isolation chains. */
export function kernelChainOf(chains: { nat: string }): string {
  return chains.nat.replace(/-NAT$/, '-KNL');
}

/**
 * withKernelRules adds the kernel path to the isolation chains' restore
 * input: its ACCEPTs at the end of the FWD chain (after every isolation
 * rule, so a refusal there still wins), and its DNAT chain, jumped to from
 * the end of the NAT chain (after the rules that keep task host ports from
 * the engine's DNAT).
 */
export function withKernelRules(isolation: string, chains: { forward: string; nat: string }, kernel: string, r: { nat: string[]; forward: string[] }): string {
  const lines = isolation.split('\n');
  const filterEnd = lines.indexOf('COMMIT');
  const natEnd = lines.lastIndexOf('COMMIT');
  const natDecl = lines.indexOf(`:${chains.nat} - [0:0]`);
  if (filterEnd < 0 || natEnd <= filterEnd || natDecl < filterEnd) throw new Error('kernel path: unexpected isolation rules');
  return [
    ...lines.slice(0, filterEnd),
    ...r.forward.map((l) => `-A ${chains.forward} ${l}`),
    ...lines.slice(filterEnd, natDecl + 1),
    `:${kernel} - [0:0]`,
    ...lines.slice(natDecl + 1, natEnd),
    `-A ${chains.nat} -j ${kernel}`,
    ...r.nat.map((l) => `-A ${kernel} ${l}`),
    ...lines.slice(natEnd),
  ].join('\n');
}

/** KernelPathOptions configure a KernelPath. */
export interface KernelPathOptions {
  nodeId: string;
  /** locals lists this node's running tasks and their containers' addresses. */
  locals: () => Promise<Map<string, string[]>>;
  subnets: () => Promise<{ stack: string; subnet: string }[]>;
  /** bridges lists this node's bridge subnets and gateways: containers there reach published ports through the listeners. @default none */
  bridges?: () => Promise<Bridge[]>;
  publishAddresses: string[];
  log: (msg: string) => void;
  /** bridgeNetfilter tells whether bridged traffic passes netfilter. @default reads /proc/sys/net/bridge/bridge-nf-call-iptables */
  bridgeNetfilter?: () => Promise<boolean>;
}

/**
 * KernelPath keeps what the rules need from the engine (the running local
 * tasks and their addresses, the stack subnets), refreshed on every registry
 * change and every change the worker sees in a local task, and the tasks the
 * last rules served, for the userspace listeners.
 */
export class KernelPath {
  private readonly o: KernelPathOptions;
  private locals = new Map<string, string[]>();
  private subnets: { stack: string; subnet: string }[] = [];
  private queue: Promise<void> = Promise.resolve();
  private again = false;
  private failing = false;
  private off = false;
  private bridges: Bridge[] = [];
  /** served are the tasks the last rules DNAT to. */
  served: ReadonlySet<string> = new Set();
  /** clients are the sources the last rules handle. */
  clients: KernelClients = { vips: new Map(), published: new Map(), bridges: [] };

  constructor(o: KernelPathOptions) {
    this.o = o;
  }

  /** refresh lists the local tasks and subnets again; concurrent calls share one listing after the one in flight. */
  refresh(): Promise<void> {
    if (this.again) return this.queue;
    this.again = true;
    this.queue = this.queue.then(async () => {
      this.again = false;
      try {
        const on = await (this.o.bridgeNetfilter ?? bridgeNetfilter)();
        if (!on && !this.off) this.o.log('mesh: kernel path off: bridged traffic does not pass netfilter (net.bridge.bridge-nf-call-iptables is not 1)');
        this.off = !on;
        [this.locals, this.subnets, this.bridges] = on
          ? await Promise.all([this.o.locals(), this.o.subnets(), this.o.bridges?.() ?? []])
          : [new Map<string, string[]>(), [], []];
        this.failing = false;
      } catch (err) {
        if (!this.failing) this.o.log(`mesh: kernel path: ${(err as Error).message}`);
        this.failing = true;
      }
    });
    return this.queue;
  }

  /** rules makes the rules for a view from the last listing, and remembers the tasks they serve. */
  rules(entries: RegistryEntry[]): KernelRules {
    const r = kernelRules({ entries, nodeId: this.o.nodeId, locals: this.locals, subnets: this.subnets, publishAddresses: this.o.publishAddresses, bridges: this.bridges });
    this.served = r.served;
    this.clients = r.clients;
    return r;
  }

  /** skips returns the local tasks a listener passes over for a client (kernelSkips of the last rules). */
  skips(l: KernelListener, source: string): ReadonlySet<string> | undefined {
    return kernelSkips(this.clients, l, source);
  }
}

function bridgeNetfilter(): Promise<boolean> {
  return readFile('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').then((v) => v.trim() === '1', () => false);
}
