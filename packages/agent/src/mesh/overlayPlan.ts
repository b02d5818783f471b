/**
 * What the overlay must look like on this node, as data: the VXLAN devices,
 * the forwarding (fdb) and neighbour entries that send a remote container's
 * frames to its node, and the netfilter rules that balance each service's
 * VIP over its tasks' overlay addresses and keep the VXLAN port for cluster
 * nodes. Pure: overlay.ts reads the engine and the registry, calls these and
 * runs what they return. Every value pasted into a command is checked here
 * (addresses, MACs, bridge names, numbers): a value that is not what it
 * should be is left out, never passed on.
 */
import { isIPv4, type OverlayPeer, type RegistryEntry } from '@cluster/core';

/** LocalNetwork is an engine network of this node that is part of the overlay. */
export interface LocalNetwork {
  /** name is the engine name (`stack_default`). */
  name: string;
  vni: number;
  /** bridge is the engine's bridge device of the network (`br-<id>`). */
  bridge: string;
}

/** LinkEntry is one remote container address: its neighbour entry and where its frames go. */
export interface LinkEntry {
  device: string;
  address: string;
  mac: string;
  /** remote is the node address its frames are sent to over UDP. */
  remote: string;
}

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const BRIDGE_RE = /^(br-[0-9a-f]{12}|docker0|[A-Za-z][A-Za-z0-9_.-]{0,14})$/;

/** deviceOf is the name of the VXLAN device of a VNI (at most 15 characters). */
export function deviceOf(vni: number): string {
  return `clvx${vni}`;
}

/** validLocal tells whether a local network's values may be used in commands. */
export function validLocal(n: LocalNetwork): boolean {
  return Number.isInteger(n.vni) && n.vni > 0 && n.vni < 1 << 24 && BRIDGE_RE.test(n.bridge);
}

/** desiredLinks are the entries every remote peer address on a local network needs, keyed `device|address`. */
export function desiredLinks(self: string, local: readonly LocalNetwork[], peers: Iterable<OverlayPeer>): Map<string, LinkEntry> {
  const byName = new Map(local.filter(validLocal).map((n) => [n.name, n]));
  const out = new Map<string, LinkEntry>();
  for (const p of peers) {
    if (p.nodeAddress === self || !isIPv4(p.nodeAddress)) continue;
    for (const a of p.addresses) {
      const net = byName.get(a.network);
      if (!net || !isIPv4(a.address) || !MAC_RE.test(a.mac)) continue;
      const device = deviceOf(net.vni);
      out.set(`${device}|${a.address}`, { device, address: a.address, mac: a.mac, remote: p.nodeAddress });
    }
  }
  return out;
}

/** linkCommands are the `ip -batch` and `bridge -batch` lines that turn the applied entries into the desired ones. */
export function linkCommands(applied: ReadonlyMap<string, LinkEntry>, desired: ReadonlyMap<string, LinkEntry>): { ip: string[]; bridge: string[] } {
  const ip: string[] = [];
  const bridge: string[] = [];
  for (const [key, e] of applied) {
    const d = desired.get(key);
    if (d && d.mac === e.mac && d.remote === e.remote) continue;
    if (!d) ip.push(`neigh del ${e.address} dev ${e.device}`);
    bridge.push(`fdb del ${e.mac} dev ${e.device} dst ${e.remote} self`);
  }
  for (const [key, d] of desired) {
    const e = applied.get(key);
    if (e && e.mac === d.mac && e.remote === d.remote) continue;
    ip.push(`neigh replace ${d.address} lladdr ${d.mac} dev ${d.device} nud permanent`);
    bridge.push(`fdb replace ${d.mac} dev ${d.device} dst ${d.remote} self permanent`);
  }
  return { ip, bridge };
}

/** OverlayChains names the netfilter chains of one agent's overlay (at most 28 characters each). */
export interface OverlayChains {
  /** vip is in the nat table, jumped to from PREROUTING. */
  vip: string;
  /** vxlan is in the filter table, jumped to from INPUT. */
  vxlan: string;
  /** prefix starts the per-service chains. */
  prefix: string;
}

/** overlayChainsOf returns the chain names of a node. */
export function overlayChainsOf(nodeId: string): OverlayChains {
  const id = nodeId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12) || 'node';
  return { vip: `CLUSTER-${id}-OVL`, vxlan: `CLUSTER-${id}-VXL`, prefix: `CLUSTER-${id}-V` };
}

/** shortHash is a 6-hex-digit FNV-1a hash of a string (chain names). */
function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h >>> 8).toString(16).padStart(6, '0');
}

/** OverlayRules are the rules and the per-service chains they use. */
export interface OverlayRules {
  /** restore is the `iptables-restore --noflush` input. */
  restore: string;
  /** serviceChains are the per-service chains made (the next rebuild deletes those no longer made). */
  serviceChains: string[];
}

/**
 * overlayRules makes the rules: for each service with a VIP and each local
 * network some of its serving tasks have an address on, connections from
 * that network's bridge to the VIP (any protocol, any port) are DNATed to
 * one of those addresses, each with the same chance; the VXLAN port takes
 * datagrams from node addresses only. `stale` are per-service chains of
 * the previous rebuild, deleted when no longer used.
 */
export function overlayRules(chains: OverlayChains, local: readonly LocalNetwork[], entries: readonly RegistryEntry[], nodeAddresses: readonly string[], port: number, stale: readonly string[] = []): OverlayRules {
  const nat: string[] = [];
  const made: string[] = [];
  const nets = local.filter(validLocal);
  for (const e of entries) {
    if (!isIPv4(e.vip)) continue;
    for (const net of nets) {
      const targets = [...new Set(e.endpoints.flatMap((ep) => (ep.networks ?? []).filter((n) => n.network === net.name && isIPv4(n.address)).map((n) => n.address)))].sort();
      if (targets.length === 0) continue;
      const chain = `${chains.prefix}${shortHash(`${e.name}|${net.name}`)}`;
      made.push(chain);
      nat.push(`-A ${chains.vip} -i ${net.bridge} -d ${e.vip}/32 -j ${chain}`);
      targets.forEach((t, i) => {
        const left = targets.length - i;
        const chance = left > 1 ? `-m statistic --mode random --probability ${(1 / left).toFixed(10)} ` : '';
        nat.push(`-A ${chain} ${chance}-j DNAT --to-destination ${t}`);
      });
    }
  }
  const gone = stale.filter((c) => !made.includes(c) && c.startsWith(chains.prefix));
  const lines = ['*nat', `:${chains.vip} - [0:0]`, ...made.map((c) => `:${c} - [0:0]`), ...gone.map((c) => `:${c} - [0:0]`), ...nat, ...gone.map((c) => `-X ${c}`), 'COMMIT', '*filter', `:${chains.vxlan} - [0:0]`];
  const p = Number.isInteger(port) && port > 0 && port < 65536 ? port : 4789;
  for (const a of [...new Set(nodeAddresses)].filter(isIPv4).sort()) lines.push(`-A ${chains.vxlan} -p udp --dport ${p} -s ${a}/32 -j RETURN`);
  lines.push(`-A ${chains.vxlan} -p udp --dport ${p} -j DROP`, 'COMMIT', '');
  return { restore: lines.join('\n'), serviceChains: made };
}
