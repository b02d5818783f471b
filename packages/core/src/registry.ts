/**
 * The service registry as pure functions: which tasks serve a service, where
 * their ports answer, and the virtual IP of each service. The manager calls
 * these over its store and pushes the result to every agent.
 */
import type { NetworkAddress } from './overlay.js';
import type { Node, PortMapping, PortSpec, Service, Task } from './model.js';

/** VIP_NETWORK is the /16 that virtual IPs of services come from (10.233.0.0/16). */
export const VIP_NETWORK = '10.233.0.0';
/** DNS_ADDRESS is the address each agent serves DNS on for the containers of its host. */
export const DNS_ADDRESS = '10.233.0.1';
/** VIP_FIRST and VIP_LAST bound the host part of service VIPs (10.233.0.2 - 10.233.255.254). */
const VIP_FIRST = 2;
const VIP_LAST = 256 * 256 - 2;

/** RegistryEndpoint is one task serving a service, and where its ports answer. */
export interface RegistryEndpoint {
  taskId: string;
  nodeId: string;
  nodeAddress: string;
  slot: number;
  ports: PortMapping[];
  /** address is the task's own address (taskAddresses.ts), for a service with ports. @default none */
  address?: string;
  /** networks are the task's addresses on its overlay networks, as its agent reported. @default none */
  networks?: NetworkAddress[];
}

/** RegistryEntry is one service as agents see it. */
export interface RegistryEntry {
  /** name is the full name, `stack_service`. */
  name: string;
  stack: string;
  shortName: string;
  vip: string;
  ports: PortSpec[];
  endpoints: RegistryEndpoint[];
  aliases: string[];
  /**
   * networks are the engine names of the external networks the service
   * joins: containers of other stacks on one of them see the service too.
   * @default none
   */
  networks?: string[];
  /** endpointMode `dnsrr`: DNS answers the service's name with its tasks' addresses, not its VIP. @default a VIP */
  endpointMode?: 'dnsrr';
}

/**
 * isServing tells whether a task takes traffic: it should run, it runs, its
 * healthcheck (if any) passed, and its node is up.
 */
export function isServing(t: Task, node: Node | undefined): boolean {
  if (t.desiredState !== 'running' || t.state !== 'running') return false;
  if (t.health !== '' && t.health !== 'healthy') return false;
  return node !== undefined && node.status === 'ready' && node.address !== '';
}

/** buildRegistry returns the registry entry of every service, sorted by name, endpoints by task id. */
export function buildRegistry(services: Service[], tasks: Task[], nodes: Node[]): RegistryEntry[] {
  const byNode = new Map(nodes.map((n) => [n.id, n]));
  const byService = new Map<string, RegistryEndpoint[]>();
  for (const t of tasks) {
    const node = byNode.get(t.nodeId);
    if (!isServing(t, node)) continue;
    let list = byService.get(t.service);
    if (!list) byService.set(t.service, (list = []));
    list.push({ taskId: t.id, nodeId: t.nodeId, nodeAddress: node!.address, slot: t.slot, ports: t.ports ?? [], ...(t.address ? { address: t.address } : {}), ...(t.networks ? { networks: t.networks } : {}) });
  }
  // Plain code-unit order, not localeCompare: ids are lower-case hex and
  // names lower-case, and a service may have tens of thousands of endpoints.
  return [...services]
    .sort((a, b) => byCodeUnits(a.name, b.name))
    .map((s) => ({
      name: s.name,
      stack: s.stack,
      shortName: s.spec.name,
      vip: s.vip ?? '',
      ports: s.spec.ports,
      endpoints: (byService.get(s.name) ?? []).sort((a, b) => byCodeUnits(a.taskId, b.taskId)),
      aliases: [],
      networks: externalNetworks(s),
      ...(s.spec.endpointMode ? { endpointMode: s.spec.endpointMode } : {}),
    }));
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** externalNetworks are the engine names of the external networks a service joins, sorted. */
export function externalNetworks(s: Service): string[] {
  return [...new Set((s.spec.networks ?? []).filter((n) => n.external === true).map((n) => n.name))].sort();
}

/** vipToNumber returns the host part of a VIP in VIP_NETWORK, or -1 if it is not one. */
function vipHost(vip: string): number {
  const m = /^10\.233\.(\d{1,3})\.(\d{1,3})$/.exec(vip);
  if (!m) return -1;
  const host = Number(m[1]) * 256 + Number(m[2]);
  return host >= VIP_FIRST && host <= VIP_LAST ? host : -1;
}

/**
 * allocateVips gives every service without a VIP the lowest free one, and
 * returns only the services it changed. A service keeps its VIP for life.
 */
export function allocateVips(services: Service[]): Service[] {
  const taken = new Set<number>();
  for (const s of services) if (s.vip) taken.add(vipHost(s.vip));
  const changed: Service[] = [];
  let next = VIP_FIRST;
  for (const s of [...services].sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name))) {
    if (s.vip && vipHost(s.vip) >= 0) continue;
    while (taken.has(next) && next <= VIP_LAST) next++;
    if (next > VIP_LAST) break; // every VIP is taken: the service goes without one
    taken.add(next);
    changed.push({ ...s, vip: `10.233.${Math.floor(next / 256)}.${next % 256}` });
  }
  return changed;
}

/** RegistryDiff is what changed between two registries. */
export interface RegistryDiff {
  changed: RegistryEntry[];
  removed: string[];
}

/** diffRegistry compares two registries by service name. */
export function diffRegistry(before: ReadonlyMap<string, string>, after: RegistryEntry[]): { diff: RegistryDiff; keys: Map<string, string> } {
  const keys = new Map(after.map((e) => [e.name, JSON.stringify(e)]));
  const changed = after.filter((e) => before.get(e.name) !== keys.get(e.name));
  const removed = [...before.keys()].filter((n) => !keys.has(n));
  return { diff: { changed, removed }, keys };
}
