import type { Node as ApiNode, Task as ApiTask, TaskReasonMessage, TaskStatus__Output } from '@cluster/api';
import { cleanNetworkAddresses, copyTask, encodeServiceSpec, sameNetworkAddresses, type Node, type ServiceSpec, type TaskReason, type OverlayNetwork, type PortMapping, type Service, type Task, type TaskState } from '@cluster/core';

/** taskToApi turns a stored task into its wire form; specJson is the service spec. */
export function taskToApi(t: Task, specJson: string, nodeName = ''): ApiTask {
  return {
    id: t.id,
    stack: t.stack,
    service: t.service,
    slot: t.slot,
    nodeId: t.nodeId,
    desiredState: t.desiredState,
    state: t.state,
    containerId: t.containerId,
    error: t.error,
    specVersion: t.specVersion,
    specJson,
    createdAtMs: t.createdAt,
    updatedAtMs: t.updatedAt,
    exitCode: t.exitCode,
    health: t.health,
    nodeName,
    ports: t.ports ?? [],
    networks: t.networks ?? [],
    reason: t.reason ? reasonToApi(t.reason) : null,
  };
}

/** reasonToApi turns a scheduler decision into its wire form (the CLI reads it back with reasonFromApi). */
export function reasonToApi(r: TaskReason): TaskReasonMessage {
  switch (r.kind) {
    case 'no_suitable_node':
      return {
        kind: r.kind,
        refusals: r.refusals.map(({ refusal, nodes }) => ({
          kind: refusal.kind,
          nodes,
          constraint: refusal.kind === 'constraint' ? refusal.constraint : '',
          memoryBytes: refusal.kind === 'memory' ? refusal.bytes : 0,
          nanoCpus: refusal.kind === 'cpu' ? refusal.nanoCpus : 0,
          max: refusal.kind === 'max_replicas_per_node' ? refusal.max : 0,
        })),
      };
    case 'waiting_for_dependencies': return { kind: r.kind, waits: r.waits.map((w) => ({ service: w.service, condition: w.condition, deployed: w.deployed })) };
    case 'waiting_for_volume_node': return { kind: r.kind, node: r.node };
    case 'invalid_placement': return { kind: r.kind, detail: r.error };
    case 'service_not_found': return { kind: r.kind, detail: r.service };
  }
}

/** nodeToApi turns a stored node into its wire form. */
export function nodeToApi(n: Node): ApiNode {
  return {
    id: n.id,
    name: n.name,
    role: n.role,
    address: n.address,
    labels: n.labels,
    availability: n.availability,
    status: n.status,
    lastHeartbeatMs: n.lastHeartbeat,
    hostname: n.hostname,
    engineVersion: n.engineVersion,
    nanoCpus: n.nanoCpus,
    memoryBytes: n.memoryBytes,
    statusMessage: n.statusMessage,
    engineError: n.engineError ?? '',
    dataDirError: n.dataDirError ?? '',
  };
}

/** STATES maps each task state to its one string, so that stored tasks do not each hold a copy decoded from the wire. */
const STATES: ReadonlyMap<string, TaskState> = new Map(
  (['new', 'pending', 'assigned', 'preparing', 'starting', 'running', 'complete', 'failed', 'shutdown', 'rejected', 'orphaned'] as const).map((s) => [s, s]),
);
const HEALTH: ReadonlyMap<string, Task['health']> = new Map((['', 'starting', 'healthy', 'unhealthy'] as const).map((h) => [h, h]));
/** NO_PORTS is the ports of every task that reported none (shared; stored tasks are never changed in place). */
const NO_PORTS: PortMapping[] = Object.freeze([]) as unknown as PortMapping[];

/** applyStatus returns the task with an agent's observation applied, or undefined if nothing changed. */
export function applyStatus(t: Task, s: TaskStatus__Output, now: number): Task | undefined {
  const state = STATES.get(s.state);
  if (state === undefined) return undefined;
  const health = HEALTH.get(s.health) ?? '';
  const ports = portsOf(s);
  const unchangedPorts = samePorts(t.ports ?? [], ports);
  // A container's addresses are kept while it runs, dropped when it stops.
  const networks = state === 'running' || state === 'starting' ? cleanNetworkAddresses(s.networks) : [];
  const unchangedNetworks = sameNetworkAddresses(t.networks, networks);
  if (t.state === state && t.containerId === s.containerId && t.error === s.error && t.exitCode === s.exitCode && t.health === health && unchangedPorts && unchangedNetworks) {
    return undefined;
  }
  // Strings equal to the stored ones are kept, not the copies just decoded.
  const next = copyTask(t, unchangedPorts && t.ports ? t.ports : ports.length === 0 ? NO_PORTS : ports, t.address, unchangedNetworks ? t.networks : networks.length === 0 ? null : networks);
  next.state = state;
  if (t.containerId !== s.containerId) next.containerId = s.containerId;
  if (t.error !== s.error) next.error = s.error;
  next.exitCode = s.exitCode;
  next.health = health;
  next.updatedAt = now;
  return next;
}

/**
 * specJsonOf returns the JSON spec an assignment carries for a task; with
 * `overlay`, the allocations of the service's networks ride along as the
 * spec's `overlay` field (the stored spec never holds them).
 */
export function specJsonOf(service: Service | undefined, t: Task, overlay?: Record<string, OverlayNetwork>): string {
  if (service) return encodeServiceSpec(overlay && Object.keys(overlay).length > 0 ? { ...service.spec, overlay } : service.spec);
  // The service is gone: the agent only needs enough to stop the task.
  return encodeServiceSpec({ name: t.service.slice(t.stack.length + 1), image: '', stopGracePeriodMs: 10000 } as ServiceSpec);
}

function samePorts(a: readonly PortMapping[], b: readonly PortMapping[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as PortMapping;
    const y = b[i] as PortMapping;
    if (x.target !== y.target || x.protocol !== y.protocol || x.hostPort !== y.hostPort) return false;
  }
  return true;
}

/** portsOf reads the host ports of an observation, sorted, dropping malformed ones. */
function portsOf(s: TaskStatus__Output): PortMapping[] {
  if (!s.ports || s.ports.length === 0) return [];
  return s.ports
    .filter((p) => p.target > 0 && p.target < 65536 && p.hostPort > 0 && p.hostPort < 65536 && (p.protocol === 'tcp' || p.protocol === 'udp'))
    .map((p) => ({ target: p.target, protocol: p.protocol as PortMapping['protocol'], hostPort: p.hostPort }))
    .sort((a, b) => a.target - b.target || a.protocol.localeCompare(b.protocol) || a.hostPort - b.hostPort);
}
