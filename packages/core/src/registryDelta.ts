/**
 * Registry deltas: what changed between two registries down to single
 * endpoints, so that a change of one task sends that task's endpoint, not
 * every endpoint of its service, and how a view applies such a change.
 */
import type { Node, Service, Task } from './model.js';
import { externalNetworks, isServing, type RegistryEndpoint, type RegistryEntry } from './registry.js';

/** RegistryState is what the last published registry was, per service, kept by the publisher. */
export type RegistryState = Map<string, { meta: string; endpoints: Map<string, string> }>;

/** EndpointDelta is the endpoint change of one service whose other fields are unchanged. */
export interface EndpointDelta {
  service: string;
  upserted: RegistryEndpoint[];
  /** removed are the task ids of endpoints that are gone. */
  removed: string[];
}

/** RegistryDelta is an incremental update: whole services, endpoint changes, removed services. */
export interface RegistryDelta {
  /** services are new services and ones whose fields other than endpoints changed, whole. */
  services: RegistryEntry[];
  endpoints: EndpointDelta[];
  /** removed are the full names of services that are gone. */
  removed: string[];
}

/**
 * forAgents is an entry as agents get it. A service without ports is reached
 * by no proxy and its tasks have no task addresses: only DNS names it, its
 * VIP and `tasks.NAME` (the addresses of the nodes its tasks serve on), so
 * one endpoint per node (the one sent before while its task still serves,
 * else the lowest task id; `sent` holds the task ids sent for the service)
 * says all agents use, and a node running many of its tasks costs every
 * agent one endpoint instead of one per task. Other services keep all.
 */
export function forAgents(e: RegistryEntry, sent?: ReadonlyMap<string, unknown>): RegistryEntry {
  if (e.ports.length > 0) return e;
  // A task with overlay addresses is its own endpoint: DNS and the VIP's kernel balancing need each one.
  const own = e.endpoints.filter((ep) => ep.networks !== undefined && ep.networks.length > 0);
  if (own.length > 0) {
    const rest = forAgents({ ...e, endpoints: e.endpoints.filter((ep) => !own.includes(ep)) }, sent);
    const endpoints = [...own, ...rest.endpoints].sort((a, b) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
    return endpoints.length === e.endpoints.length ? e : { ...e, endpoints };
  }
  // A node's endpoint stays the one agents were sent while that task still
  // serves: as a node's tasks come up one by one, its endpoint does not
  // change to each lower task id in turn (a removal and an upsert for every
  // agent each time).
  const chosen = new Map<string, string>();
  for (const ep of e.endpoints) {
    const had = chosen.get(ep.nodeAddress);
    if (had === undefined || (sent?.has(ep.taskId) === true && sent.has(had) !== true)) chosen.set(ep.nodeAddress, ep.taskId);
  }
  if (chosen.size === e.endpoints.length) return e;
  const keep = new Set(chosen.values());
  return { ...e, endpoints: e.endpoints.filter((ep) => keep.has(ep.taskId)) };
}

/**
 * agentEntry is one service's entry as agents get it, the same as
 * `forAgents(buildRegistry([service], tasks, nodes)[0], sent)`, made in one
 * pass over the service's tasks (tasks of other services are ignored): for
 * a service without ports, only the endpoint chosen for each node is made
 * and sorted, not one per serving task. The registry calls it once per
 * changed service on every pass.
 */
export function agentEntry(s: Service, tasks: Iterable<Task>, nodes: ReadonlyMap<string, Node>, sent?: ReadonlyMap<string, unknown>): RegistryEntry {
  const endpoints: RegistryEndpoint[] = [];
  if (s.spec.ports.length > 0) {
    for (const t of tasks) {
      const node = nodes.get(t.nodeId);
      if (t.service === s.name && isServing(t, node)) endpoints.push(endpointOf(t, node as Node));
    }
  } else {
    // Per node address: the lowest task id among those sent before, else the lowest task id (forAgents).
    const chosen = new Map<string, { t: Task; node: Node; sent: boolean }>();
    for (const t of tasks) {
      const node = nodes.get(t.nodeId);
      if (t.service !== s.name || !isServing(t, node)) continue;
      // A task with overlay addresses is its own endpoint (forAgents).
      if (t.networks !== undefined && t.networks.length > 0) {
        endpoints.push(endpointOf(t, node as Node));
        continue;
      }
      const wasSent = sent?.has(t.id) === true;
      const had = chosen.get((node as Node).address);
      if (had === undefined || (wasSent && !had.sent) || (wasSent === had.sent && t.id < had.t.id)) chosen.set((node as Node).address, { t, node: node as Node, sent: wasSent });
    }
    for (const c of chosen.values()) endpoints.push(endpointOf(c.t, c.node));
  }
  endpoints.sort((a, b) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
  return { name: s.name, stack: s.stack, shortName: s.spec.name, vip: s.vip ?? '', ports: s.spec.ports, endpoints, aliases: [], networks: externalNetworks(s), ...(s.spec.endpointMode ? { endpointMode: s.spec.endpointMode } : {}) };
}

function endpointOf(t: Task, node: Node): RegistryEndpoint {
  const ep: RegistryEndpoint = { taskId: t.id, nodeId: t.nodeId, nodeAddress: node.address, slot: t.slot, ports: t.ports ?? [] };
  if (t.address) ep.address = t.address;
  if (t.networks) ep.networks = t.networks;
  return ep;
}

function metaKey(e: RegistryEntry): string {
  return JSON.stringify([e.stack, e.shortName, e.vip, e.ports, e.aliases, e.networks ?? [], e.endpointMode ?? '']);
}

function endpointKey(ep: RegistryEndpoint): string {
  let k = `${ep.nodeId}|${ep.nodeAddress}|${ep.slot}|${ep.address ?? ''}`;
  for (const p of ep.ports) k += `|${p.target}/${p.protocol}:${p.hostPort}`;
  for (const n of ep.networks ?? []) k += `|${n.network}=${n.address}/${n.mac}`;
  return k;
}

/**
 * diffRegistryDelta compares a registry with the state of the last one and
 * returns the delta and the new state. Its cost is one key per endpoint of
 * the entries that are not in `unchanged` (entries known to be the very
 * ones the state was made from: they keep their state and change nothing).
 */
export function diffRegistryDelta(before: RegistryState, after: RegistryEntry[], unchanged?: ReadonlySet<RegistryEntry>): { delta: RegistryDelta; state: RegistryState } {
  const state: RegistryState = new Map();
  const delta: RegistryDelta = { services: [], endpoints: [], removed: [] };
  for (const e of after) {
    const kept = unchanged?.has(e) === true ? before.get(e.name) : undefined;
    if (kept) {
      state.set(e.name, kept);
      continue;
    }
    const meta = metaKey(e);
    const endpoints = new Map<string, string>();
    for (const ep of e.endpoints) endpoints.set(ep.taskId, endpointKey(ep));
    state.set(e.name, { meta, endpoints });
    const prev = before.get(e.name);
    if (!prev || prev.meta !== meta) {
      delta.services.push(e);
      continue;
    }
    const upserted = e.endpoints.filter((ep) => prev.endpoints.get(ep.taskId) !== endpoints.get(ep.taskId));
    const removed: string[] = [];
    for (const id of prev.endpoints.keys()) if (!endpoints.has(id)) removed.push(id);
    if (upserted.length > 0 || removed.length > 0) delta.endpoints.push({ service: e.name, upserted, removed });
  }
  for (const name of before.keys()) if (!state.has(name)) delta.removed.push(name);
  return { delta, state };
}

/** isEmptyDelta tells whether a delta changes nothing. */
export function isEmptyDelta(d: RegistryDelta): boolean {
  return d.services.length === 0 && d.endpoints.length === 0 && d.removed.length === 0;
}

/** applyEndpointDelta returns an entry's endpoints with a delta applied, sorted by task id as the registry sorts them. */
export function applyEndpointDelta(endpoints: RegistryEndpoint[], upserted: RegistryEndpoint[], removed: string[]): RegistryEndpoint[] {
  const byTask = new Map(endpoints.map((ep) => [ep.taskId, ep]));
  for (const id of removed) byTask.delete(id);
  for (const ep of upserted) byTask.set(ep.taskId, ep);
  return [...byTask.values()].sort((a, b) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
}
