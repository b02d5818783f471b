import { agentEntry, overlayPeer, peerKey, type OverlayPeer, ClusterError, allocateVips, assignTaskAddresses, diffRegistryDelta, isEmptyDelta, TaskAddressPool, type Node, type RegistryEndpoint, type RegistryEntry, type RegistryState, type Service, type Task, type TaskAddressPoolOptions } from '@cluster/core';
import type { Endpoint, OverlayPeer as ApiPeer, RegistryUpdate, ServiceEntry } from '@cluster/api';
import type { OverlayAllocator } from './overlayAllocator.js';
import { shareEncoding } from './sharedEncoding.js';
import type { Store } from './store.js';
import type { Logger } from './log.js';

/** RegistryOptions configure the service registry. */
export interface RegistryOptions {
  store: Store;
  log: Logger;
  /** publish sends an INCREMENTAL update to every session; it is marked for one shared encoding and must not be changed. */
  publish: (update: RegistryUpdate) => void;
  /** sweepMs is how often the registry recomputes even when nobody kicked it. @default 1000 */
  sweepMs?: number;
  /** taskAddresses bounds the range of task addresses (tests). @default all of TASK_ADDRESS_NETWORK */
  taskAddresses?: TaskAddressPoolOptions;
  /** overlay has its unused allocations freed on each pass. @default none */
  overlay?: OverlayAllocator;
}

/**
 * Registry keeps, per service, its VIP and its serving endpoints, and tells
 * every agent when they change. It recomputes on kick() (a task, service or
 * node changed), coalesced to one pass per turn of the event loop, and on a
 * slow sweep as a safety net. A pass publishes only what changed since the
 * last one: new or changed services whole, endpoint changes of the others,
 * removed services. VIPs are allocated here and stored with the service, so
 * they survive manager restarts; so are task addresses (taskAddresses.ts in
 * core), stored with the task when it first serves.
 */
export class Registry {
  private readonly o: RegistryOptions;
  private state: RegistryState = new Map();
  private entries: RegistryEntry[] = [];
  /**
   * built holds, per service, the inputs of its last entry (the service and
   * its tasks, which the store replaces rather than changes) and the entry:
   * a pass remakes only the entries of services whose own inputs or whose
   * nodes changed.
   */
  private built = new Map<string, { service: Service; tasks: Task[]; entry: RegistryEntry }>();
  /** nodes are the nodes the entries in `built` were made with. */
  private nodes = new Map<string, Node>();
  /** full is the snapshot of the last pass, made once for every session that opens before the next change. */
  private full: RegistryUpdate | undefined;
  private scheduled = false;
  /** notBefore is when the next pass may run (monotonic ms: a wall-clock step does not hold the registry back). */
  private notBefore = 0;
  /** lastFailure is the message of the last failed pass's ClusterError ('' otherwise), so a refusal repeated every pass is logged once. */
  private lastFailure = '';
  private sweep: NodeJS.Timeout | undefined;
  private readonly addresses: TaskAddressPool;
  /** unaddressed is how many tasks went without a task address in the last pass (logged when it changes). */
  private unaddressed = 0;
  /** peers holds, per service, its overlay peers as last published (rebuilt with the service's entry). */
  private peers = new Map<string, OverlayPeer[]>();
  /** sentPeers holds, per task id, the key of the peer last published. */
  private sentPeers = new Map<string, string>();
  /** nodeAddresses is the sorted list of node addresses last published. */
  private nodeAddresses: string[] = [];
  /** updates counts INCREMENTAL updates published (for tests and metrics). */
  updates = 0;

  constructor(o: RegistryOptions) {
    this.o = o;
    this.addresses = new TaskAddressPool(o.taskAddresses);
  }

  start(): void {
    this.pass();
    this.sweep = setInterval(() => this.kick(), this.o.sweepMs ?? 1000);
    this.sweep.unref();
  }

  stop(): void {
    if (this.sweep) clearInterval(this.sweep);
  }

  /**
   * kick asks for a recomputation soon: on the next turn, or, after a pass
   * that took more than 10 ms (a large cluster: every changed entry goes to
   * every session), not before twice that time has passed (at most 1 s), so
   * that publishing never takes more than a third of the manager's time.
   */
  kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = (): void => {
      this.scheduled = false;
      const started = performance.now();
      try {
        this.pass();
        this.lastFailure = '';
      } catch (err) {
        // A disk that refuses writes fails passes until space returns: the store logs that once.
        if (!(err instanceof ClusterError) || err.message !== this.lastFailure) this.o.log.error('registry: pass failed', err);
        this.lastFailure = err instanceof ClusterError ? err.message : '';
      }
      const took = performance.now() - started;
      this.notBefore = took > 10 ? performance.now() + Math.min(2 * took, 1000) : 0;
    };
    const wait = this.notBefore - performance.now();
    if (wait > 0) setTimeout(run, wait).unref();
    else setImmediate(run);
  }

  /** snapshot is the FULL registry, sent to a node when its session opens (the same object until the registry changes). */
  snapshot(): RegistryUpdate {
    const peers = [...this.peers.values()].flat().map(peerToApi);
    const full = this.full ?? shareEncoding<RegistryUpdate>({ type: 'FULL', services: this.entries.map(entryToApi), removed: [], endpointChanges: [], peers, removedPeers: [], nodeAddresses: { addresses: this.nodeAddresses } });
    this.full = full;
    return full;
  }

  /** current returns the registry as last computed, as agents get it (forAgents). */
  current(): RegistryEntry[] {
    return this.entries;
  }

  private pass(): void {
    const { store } = this.o;
    const fresh = allocateVips(store.allServices());
    if (fresh.length > 0) store.update({ putServices: fresh });
    const services = store.allServices().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Task addresses are for services with ports; with none, and no address held, there is nothing to look at.
    if (this.addresses.size > 0 || services.some((s) => s.spec.ports.length > 0)) {
      const plan = assignTaskAddresses(this.addresses, services, store.allTasks(), store.allNodes());
      if (plan.assigned.length > 0) store.putTasksSoon(plan.assigned);
      if (plan.failed.length !== this.unaddressed && plan.failed[0]) this.o.log.warn(`registry: ${plan.failed.length} serving tasks have no task address: ${plan.failed[0].error.message}`);
      this.unaddressed = plan.failed.length;
    }
    const nodes = new Map(store.allNodes().map((n) => [n.id, n]));
    const nodesChanged = nodes.size !== this.nodes.size || [...nodes].some(([id, n]) => this.nodes.get(id) !== n);
    this.nodes = nodes;
    const built = new Map<string, { service: Service; tasks: Task[]; entry: RegistryEntry }>();
    const unchanged = new Set<RegistryEntry>();
    const entries: RegistryEntry[] = [];
    const peers = new Map<string, OverlayPeer[]>();
    const upsertedPeers: OverlayPeer[] = [];
    for (const s of services) {
      const tasks = store.tasksOfService(s.name);
      const last = this.built.get(s.name);
      let entry: RegistryEntry;
      if (last && !nodesChanged && last.service === s && sameTasks(last.tasks, tasks)) {
        entry = last.entry;
        unchanged.add(entry);
        peers.set(s.name, this.peers.get(s.name) ?? []);
      } else {
        entry = agentEntry(s, tasks, nodes, this.state.get(s.name)?.endpoints);
        const mine: OverlayPeer[] = [];
        for (const t of tasks) {
          const p = overlayPeer(t, nodes.get(t.nodeId));
          if (!p) continue;
          mine.push(p);
          const key = peerKey(p);
          if (this.sentPeers.get(p.taskId) !== key) upsertedPeers.push(p);
        }
        peers.set(s.name, mine);
      }
      built.set(s.name, { service: s, tasks, entry });
      entries.push(entry);
    }
    this.built = built;
    const { delta, state } = diffRegistryDelta(this.state, entries, unchanged);
    this.state = state;
    this.entries = entries;
    this.peers = peers;
    const sentPeers = new Map<string, string>();
    for (const list of peers.values()) for (const p of list) sentPeers.set(p.taskId, peerKey(p));
    const removedPeers = [...this.sentPeers.keys()].filter((id) => !sentPeers.has(id));
    this.sentPeers = sentPeers;
    const addresses = [...new Set([...nodes.values()].map((n) => n.address).filter((a) => a !== ''))].sort();
    const addressesChanged = addresses.join(',') !== this.nodeAddresses.join(',');
    this.nodeAddresses = addresses;
    this.o.overlay?.retain(services, new Set(nodes.keys()));
    if (isEmptyDelta(delta) && upsertedPeers.length === 0 && removedPeers.length === 0 && !addressesChanged) return;
    this.full = undefined;
    this.updates++;
    this.o.publish(shareEncoding<RegistryUpdate>({
      type: 'INCREMENTAL',
      services: delta.services.map(entryToApi),
      removed: delta.removed,
      endpointChanges: delta.endpoints.map((d) => ({ service: d.service, upserted: d.upserted.map(endpointToApi), removed: d.removed })),
      peers: upsertedPeers.map(peerToApi),
      removedPeers,
      ...(addressesChanged ? { nodeAddresses: { addresses } } : {}),
    }));
  }
}

/** sameTasks tells whether two lists hold the same task objects in the same order (the store replaces a task it changes). */
function sameTasks(a: readonly Task[], b: readonly Task[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** entryToApi turns a registry entry into its wire form. */
export function entryToApi(e: RegistryEntry): ServiceEntry {
  return {
    name: e.name,
    stack: e.stack,
    shortName: e.shortName,
    vip: e.vip,
    ports: e.ports.map((p) => ({ target: p.target, published: p.published, protocol: p.protocol, mode: p.mode })),
    endpoints: e.endpoints.map(endpointToApi),
    aliases: e.aliases,
    networks: e.networks ?? [],
    endpointMode: e.endpointMode ?? '',
  };
}

function endpointToApi(ep: RegistryEndpoint): Endpoint {
  return { taskId: ep.taskId, nodeId: ep.nodeId, nodeAddress: ep.nodeAddress, slot: ep.slot, ports: ep.ports, address: ep.address ?? '', networks: ep.networks ?? [] };
}

function peerToApi(p: OverlayPeer): ApiPeer {
  return { taskId: p.taskId, nodeAddress: p.nodeAddress, networks: p.addresses };
}
