/**
 * Overlay keeps this node's part of the overlay in step with the engine's
 * networks and the registry: a VXLAN device (`clvx<VNI>`, `nolearning
 * proxy`, UDP to node addresses) joined to the bridge of each overlay
 * network of the engine; a neighbour and a forwarding entry for every
 * container address of those networks on other nodes, so frames go straight
 * to the right node with no flooding and ARP is answered locally; the VIP
 * rules and the VXLAN port filter of overlayPlan.ts. Rebuilds are
 * serialized and coalesced; the devices of networks that are gone are
 * deleted; on start the devices and chains a previous agent left are
 * remade from scratch.
 */
import { execFile, spawn } from 'node:child_process';
import type { OverlayPeer, RegistryEntry } from '@cluster/core';
import { jumpFirst, JUMP_COMMENT } from './iptablesListing.js';
import { deviceOf, desiredLinks, linkCommands, overlayChainsOf, overlayRules, validLocal, type LinkEntry, type LocalNetwork, type OverlayChains } from './overlayPlan.js';

/** OverlayOptions configure a node's overlay. */
export interface OverlayOptions {
  nodeId: string;
  /** self is this node's address: the local end of every tunnel. */
  self: string;
  /** port is the VXLAN UDP port. @default 4789 */
  port?: number;
  /** mtu is the MTU of the VXLAN devices. @default 1450 */
  mtu?: number;
  /** networks lists the engine's overlay networks (label cluster.overlay.vni). */
  networks: () => Promise<LocalNetwork[]>;
  /** view gives the registry: entries, peers and node addresses. */
  view: () => { entries: RegistryEntry[]; peers: Iterable<OverlayPeer>; nodeAddresses: string[] };
  log: (msg: string) => void;
  /** checkMs is how often the overlay is rebuilt even without a change (the engine may have made or removed a network). @default 5000 */
  checkMs?: number;
}

/** Overlay is the effectful side of the overlay on one node. */
export class Overlay {
  private readonly o: OverlayOptions;
  private readonly chains: OverlayChains;
  private readonly comment: string;
  private links = new Map<string, LinkEntry>();
  private devices = new Map<string, string>();
  private serviceChains: string[] = [];
  private appliedRules: string | undefined;
  private queue: Promise<void> = Promise.resolve();
  private queued = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failing = '';

  constructor(o: OverlayOptions) {
    this.o = o;
    this.chains = overlayChainsOf(o.nodeId);
    this.comment = `${JUMP_COMMENT} ${process.pid}`;
  }

  /** start deletes the VXLAN devices and service chains an earlier agent left, then builds the overlay and rebuilds it every checkMs. */
  async start(): Promise<void> {
    const links = await run('ip', ['-o', 'link', 'show', 'type', 'vxlan']).catch(() => '');
    for (const m of links.matchAll(/^\d+:\s+(clvx\d+)[@:]/gm)) await run('ip', ['link', 'del', m[1] as string]).catch(() => undefined);
    const nat = await run('iptables', ['-w', '-t', 'nat', '-S']).catch(() => '');
    this.serviceChains = [...nat.matchAll(/^-N (\S+)$/gm)].map((m) => m[1] as string).filter((c) => c.startsWith(this.chains.prefix) && c !== this.chains.vip);
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.o.checkMs ?? 5000);
    this.timer.unref();
  }

  /** refresh rebuilds the overlay soon (one rebuild for a burst of calls). */
  refresh(): Promise<void> {
    if (this.queued) return this.queue;
    this.queued = true;
    this.queue = this.queue.then(async () => {
      this.queued = false;
      if (this.stopped) return;
      try {
        await this.rebuild();
        this.failing = '';
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        // One line per failing stretch, not one per change.
        if (msg !== this.failing) this.o.log(`overlay: ${msg}`);
        this.failing = msg;
      }
    });
    return this.queue;
  }

  /** stop removes the VIP rules and the VXLAN filter; the devices stay, so containers keep reaching each other across hosts. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.queue;
    for (const [table, from, to] of this.jumps()) await run('iptables', ['-w', '-t', table, '-D', from, ...this.jump(to)]).catch(() => undefined);
    for (const [table, c] of [['nat', this.chains.vip], ['filter', this.chains.vxlan], ...this.serviceChains.map((c) => ['nat', c] as const)] as const) {
      await run('iptables', ['-w', '-t', table, '-F', c]).catch(() => undefined);
    }
    for (const [table, c] of [['nat', this.chains.vip], ['filter', this.chains.vxlan], ...this.serviceChains.map((c) => ['nat', c] as const)] as const) {
      await run('iptables', ['-w', '-t', table, '-X', c]).catch(() => undefined);
    }
  }

  private async rebuild(): Promise<void> {
    const local = (await this.o.networks()).filter(validLocal);
    await this.syncDevices(local);
    const view = this.o.view();
    const desired = desiredLinks(this.o.self, local.filter((n) => this.devices.has(deviceOf(n.vni))), view.peers);
    const { ip, bridge } = linkCommands(this.links, desired);
    if (ip.length > 0) await run('ip', ['-force', '-batch', '-'], ip.join('\n') + '\n').catch(() => undefined);
    if (bridge.length > 0) await run('bridge', ['-force', '-batch', '-'], bridge.join('\n') + '\n').catch(() => undefined);
    this.links = desired;
    const rules = overlayRules(this.chains, local, view.entries, [...view.nodeAddresses, this.o.self], this.o.port ?? 4789, this.serviceChains);
    if (rules.restore !== this.appliedRules) {
      await run('iptables-restore', ['-w', '--noflush'], rules.restore);
      this.appliedRules = rules.restore;
      this.serviceChains = rules.serviceChains;
    }
    await this.ensureJumps();
  }

  /** syncDevices makes a VXLAN device for each local network (joined to its bridge) and deletes those of networks that are gone. */
  private async syncDevices(local: LocalNetwork[]): Promise<void> {
    const want = new Map(local.map((n) => [deviceOf(n.vni), n]));
    // A device deleted behind this agent's back (by hand, or by another agent sharing the host) is made again.
    const present = await run('ip', ['-o', 'link', 'show', 'type', 'vxlan']).catch(() => '');
    for (const [dev, bridge] of this.devices) if (!new RegExp(`^\\d+:\\s+${dev}[@:].*master ${bridge}\\b`, 'm').test(present)) this.devices.delete(dev);
    for (const [dev] of this.devices) {
      if (want.has(dev)) continue;
      await run('ip', ['link', 'del', dev]).catch(() => undefined);
      this.devices.delete(dev);
      for (const [k, e] of this.links) if (e.device === dev) this.links.delete(k);
    }
    for (const [dev, n] of want) {
      if (this.devices.get(dev) === n.bridge) continue;
      // A network made again has a new bridge: the device is made anew on it.
      await run('ip', ['link', 'del', dev]).catch(() => undefined);
      for (const [k, e] of this.links) if (e.device === dev) this.links.delete(k);
      try {
        await run('ip', ['link', 'add', dev, 'type', 'vxlan', 'id', String(n.vni), 'local', this.o.self, 'dstport', String(this.o.port ?? 4789), 'nolearning', 'proxy', 'noudpcsum']);
        await run('ip', ['link', 'set', dev, 'mtu', String(this.o.mtu ?? 1450), 'master', n.bridge, 'up']);
        this.devices.set(dev, n.bridge);
        this.o.log(`overlay: ${dev} (VNI ${n.vni}) joined to ${n.bridge} for network ${n.name}`);
      } catch (err) {
        await run('ip', ['link', 'del', dev]).catch(() => undefined);
        throw new Error(`network ${n.name}: cannot make its VXLAN device: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    }
  }

  /** jumps are the jumps this module keeps; the VIP chain is jumped to from the firewall's NAT chain (firewall.ts, `overlay`). */
  private jumps(): [string, string, string][] {
    return [['filter', 'INPUT', this.chains.vxlan]];
  }

  /** vipChain is the nat chain the firewall jumps to first. */
  get vipChain(): string {
    return this.chains.vip;
  }

  private jump(to: string): string[] {
    return ['-m', 'comment', '--comment', this.comment, '-j', to];
  }

  /** ensureJumps puts each chain's jump first in its built-in chain (other agents' jumps aside). */
  private async ensureJumps(): Promise<void> {
    for (const [table, from, to] of this.jumps()) {
      if (jumpFirst(await run('iptables', ['-w', '-t', table, '-S', from]), to, process.pid)) continue;
      for (let i = 0; i < 10; i++) if (!(await run('iptables', ['-w', '-t', table, '-D', from, ...this.jump(to)]).then(() => true, () => false))) break;
      await run('iptables', ['-w', '-t', table, '-I', from, '1', ...this.jump(to)]);
    }
  }
}

/** run runs a program with optional stdin, bounded to 10 s, and returns its stdout. */
function run(cmd: string, args: string[], input?: string): Promise<string> {
  if (input === undefined) {
    return new Promise((resolve, reject) => {
      execFile(cmd, args, { timeout: 10_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${String(stderr).trim() || err.message}`)) : resolve(String(stdout))));
    });
  }
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: 10_000 });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    // A program that exits before reading all of its input must not take the agent down (EPIPE).
    p.stdin.on('error', () => undefined);
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')}: ${err.trim() || `exit ${code}`}`))));
    p.stdin.end(input);
  });
}
