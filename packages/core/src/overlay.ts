/**
 * The overlay: every network of a stack is one layer-2 segment spanning the
 * nodes that run its tasks (a VXLAN device per network on each node, joined
 * to the engine's bridge for it). The manager allocates each network a
 * subnet and a VNI, and each node an index that gives it its own address
 * range in every subnet, so that the engines of different nodes never hand
 * out the same address. Pure: allocation takes what exists and returns what
 * to add.
 */
/** OverlayNetwork is the allocation of one engine network (by its engine name, `stack_default`, `stack_back`, or an external name). */
export interface OverlayNetwork {
  /** subnet is the network's IPv4 subnet, the same on every node (a /16 of OVERLAY_POOL). */
  subnet: string;
  /** vni is the VXLAN network identifier, the same on every node. */
  vni: number;
}

/** NetworkAddress is where one task's container answers on one of its networks. */
export interface NetworkAddress {
  /** network is the engine name of the network. */
  network: string;
  /** address is the container's IPv4 address on it. */
  address: string;
  /** mac is the container's MAC address on it (lower-case, colon-separated). */
  mac: string;
}

/** OverlayPeer is a task container that other nodes must be able to reach over the overlay. */
export interface OverlayPeer {
  taskId: string;
  /** nodeAddress is the address of the node it runs on: the remote end of the VXLAN tunnel. */
  nodeAddress: string;
  addresses: NetworkAddress[];
}

/** OVERLAY_POOL is where network subnets come from: 10.128.0.0/10, a /16 per network (64 networks). */
export const OVERLAY_POOL = { firstOctet: 10, secondOctetFrom: 128, count: 64 } as const;
/** OVERLAY_VNI_BASE is the VNI of the first network of the pool; network i has OVERLAY_VNI_BASE + i. */
export const OVERLAY_VNI_BASE = 4096;
/** OVERLAY_MAX_NODE_INDEX is the highest node index: node k gets the /24 `x.y.k.0` of every subnet. */
export const OVERLAY_MAX_NODE_INDEX = 254;

/** overlaySubnet is the subnet of pool slot i. */
export function overlaySubnet(i: number): string {
  return `${OVERLAY_POOL.firstOctet}.${OVERLAY_POOL.secondOctetFrom + i}.0.0/16`;
}

/** poolSlotOf tells which pool slot a subnet is, or -1 when it is not one of the pool's. */
export function poolSlotOf(subnet: string): number {
  const m = /^10\.(\d+)\.0\.0\/16$/.exec(subnet);
  if (!m) return -1;
  const i = Number(m[1]) - OVERLAY_POOL.secondOctetFrom;
  return i >= 0 && i < OVERLAY_POOL.count ? i : -1;
}

/** overlayGateway is the gateway of a network: the same first address on every node's bridge (never carried over the tunnel). */
export function overlayGateway(subnet: string): string {
  return subnet.replace(/\.0\.0\/16$/, '.0.1');
}

/** overlayNodeRange is the address range of node index k in a network's subnet (`10.y.k.0/24`). */
export function overlayNodeRange(subnet: string, nodeIndex: number): string {
  return subnet.replace(/\.0\.0\/16$/, `.${nodeIndex}.0/24`);
}

/**
 * allocateNetworks gives each name of `wanted` that `existing` lacks a free
 * pool slot, round the pool from the slot after `last` (so a freed subnet
 * comes back as late as possible); names it cannot place are in `full`.
 */
export function allocateNetworks(existing: Readonly<Record<string, OverlayNetwork>>, wanted: Iterable<string>, last: number): { added: Record<string, OverlayNetwork>; last: number; full: string[] } {
  const used = new Set(Object.values(existing).map((n) => poolSlotOf(n.subnet)));
  const added: Record<string, OverlayNetwork> = {};
  const full: string[] = [];
  let cursor = last;
  for (const name of wanted) {
    if (existing[name] || added[name]) continue;
    let slot = -1;
    for (let k = 1; k <= OVERLAY_POOL.count; k++) {
      const i = (((cursor + k) % OVERLAY_POOL.count) + OVERLAY_POOL.count) % OVERLAY_POOL.count;
      if (!used.has(i)) {
        slot = i;
        break;
      }
    }
    if (slot < 0) {
      full.push(name);
      continue;
    }
    used.add(slot);
    cursor = slot;
    added[name] = { subnet: overlaySubnet(slot), vni: OVERLAY_VNI_BASE + slot };
  }
  return { added, last: cursor, full };
}

/** allocateNodeIndex returns the lowest index in 1..OVERLAY_MAX_NODE_INDEX no node holds, or 0 when all are held. */
export function allocateNodeIndex(held: Iterable<number>): number {
  const taken = new Set(held);
  for (let k = 1; k <= OVERLAY_MAX_NODE_INDEX; k++) if (!taken.has(k)) return k;
  return 0;
}

/** isIPv4 tells whether a string is a dotted-quad IPv4 address. */
export function isIPv4(s: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255 && (o === '0' || !o.startsWith('0')));
}

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** cleanNetworkAddresses keeps the well-formed entries of what an agent reported (IPv4, MAC, a network name), at most 16. */
export function cleanNetworkAddresses(list: readonly { network: string; address: string; mac: string }[] | undefined): NetworkAddress[] {
  if (!list) return [];
  const out: NetworkAddress[] = [];
  for (const a of list) {
    const mac = a.mac.toLowerCase();
    if (!isIPv4(a.address) || !MAC_RE.test(mac) || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(a.network)) continue;
    out.push({ network: a.network, address: a.address, mac });
    if (out.length === 16) break;
  }
  return out.sort((x, y) => (x.network < y.network ? -1 : x.network > y.network ? 1 : 0));
}

/** sameNetworkAddresses tells whether two cleaned lists are equal. */
export function sameNetworkAddresses(a: readonly NetworkAddress[] | undefined, b: readonly NetworkAddress[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const p = x[i] as NetworkAddress;
    const q = y[i] as NetworkAddress;
    if (p.network !== q.network || p.address !== q.address || p.mac !== q.mac) return false;
  }
  return true;
}

/**
 * serviceNetworkNames are the engine names of the networks a service's
 * containers join: those it lists, or the stack's `default` network when it
 * lists none (as Compose does).
 */
export function serviceNetworkNames(stack: string, spec: { networks?: readonly { name: string }[] }): string[] {
  const listed = spec.networks ?? [];
  return listed.length > 0 ? listed.map((n) => n.name) : [`${stack}_default`];
}

/**
 * overlayPeer is the peer a task is while its container runs on a node that
 * is up: every other node must reach its addresses, whether it serves or not
 * (a replica still starting connects to its database, whose host must be
 * able to answer it). undefined for a task that is no peer.
 */
export function overlayPeer(t: { id: string; state: string; networks?: NetworkAddress[] }, node: { status: string; address: string } | undefined): OverlayPeer | undefined {
  if (!t.networks || t.networks.length === 0 || !node || node.status !== 'ready' || node.address === '') return undefined;
  if (t.state !== 'running' && t.state !== 'starting') return undefined;
  return { taskId: t.id, nodeAddress: node.address, addresses: t.networks };
}

/** peerKey is what tells two versions of a peer apart. */
export function peerKey(p: OverlayPeer): string {
  let k = p.nodeAddress;
  for (const a of p.addresses) k += `|${a.network}=${a.address}/${a.mac}`;
  return k;
}
