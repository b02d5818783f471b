/**
 * The manager's side of the overlay: which subnet and VNI each network has
 * and which index each node has (core/overlay.ts decides, this keeps it).
 * Allocations live in the store's meta table, so they survive restarts, and
 * are made on first use: the first assignment of a task on a network carries
 * the network's allocation, so a node never makes the network without it.
 */
import { allocateNetworks, allocateNodeIndex, serviceNetworkNames, type OverlayNetwork, type Service } from '@cluster/core';
import type { Logger } from './log.js';
import type { Store } from './store.js';

const NETWORKS_KEY = 'overlay.networks';
const LAST_KEY = 'overlay.last';
const NODES_KEY = 'overlay.nodes';

/** OverlayAllocator hands out and remembers network subnets, VNIs and node indexes. */
export class OverlayAllocator {
  private networks: Record<string, OverlayNetwork>;
  private last: number;
  private nodes: Record<string, number>;

  constructor(private readonly store: Store, private readonly log: Logger) {
    this.networks = readJson(store.getMeta(NETWORKS_KEY), {});
    this.last = Number(store.getMeta(LAST_KEY) ?? '-1');
    this.nodes = readJson(store.getMeta(NODES_KEY), {});
  }

  /** networksOf returns the allocations of a service's networks, allocating those that have none. */
  networksOf(s: Service): Record<string, OverlayNetwork> {
    const names = serviceNetworkNames(s.stack, s.spec);
    if (names.some((n) => !this.networks[n])) {
      const { added, last, full } = allocateNetworks(this.networks, names, this.last);
      if (full.length > 0) this.log.warn(`overlay: no subnet left for network(s) ${full.join(', ')}: their containers reach other hosts only through published ports`);
      if (Object.keys(added).length > 0) {
        this.networks = { ...this.networks, ...added };
        this.last = last;
        this.store.transaction(() => {
          this.store.setMeta(NETWORKS_KEY, JSON.stringify(this.networks));
          this.store.setMeta(LAST_KEY, String(this.last));
        });
      }
    }
    const out: Record<string, OverlayNetwork> = {};
    for (const n of names) {
      const a = this.networks[n];
      if (a) out[n] = a;
    }
    return out;
  }

  /** nodeIndex returns the node's overlay index, allocating one on first use; 0 when all are held. */
  nodeIndex(nodeId: string): number {
    const had = this.nodes[nodeId];
    if (had !== undefined) return had;
    const k = allocateNodeIndex(Object.values(this.nodes));
    if (k === 0) {
      this.log.warn(`overlay: every node index is held; node ${nodeId} gets no overlay`);
      return 0;
    }
    this.nodes = { ...this.nodes, [nodeId]: k };
    this.store.setMeta(NODES_KEY, JSON.stringify(this.nodes));
    return k;
  }

  /**
   * retain frees the allocations of networks no service uses and the
   * indexes of nodes that left. Freed subnets come back as late as possible
   * (allocation goes round the pool).
   */
  retain(services: readonly Service[], nodeIds: ReadonlySet<string>): void {
    const used = new Set(services.flatMap((s) => serviceNetworkNames(s.stack, s.spec)));
    const networks = Object.fromEntries(Object.entries(this.networks).filter(([n]) => used.has(n)));
    const nodes = Object.fromEntries(Object.entries(this.nodes).filter(([id]) => nodeIds.has(id)));
    const dropNets = Object.keys(networks).length !== Object.keys(this.networks).length;
    const dropNodes = Object.keys(nodes).length !== Object.keys(this.nodes).length;
    if (!dropNets && !dropNodes) return;
    this.networks = networks;
    this.nodes = nodes;
    this.store.transaction(() => {
      if (dropNets) this.store.setMeta(NETWORKS_KEY, JSON.stringify(networks));
      if (dropNodes) this.store.setMeta(NODES_KEY, JSON.stringify(nodes));
    });
  }
}

function readJson<T>(text: string | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
