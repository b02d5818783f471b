import type { Node as ApiNode, Task as ApiTask, TaskStatus__Output } from '@cluster/api';
import type { Node, PortMapping, Service, Task, TaskState } from '@cluster/core';

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
  };
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
  };
}

const STATES: ReadonlySet<string> = new Set<TaskState>([
  'new', 'pending', 'assigned', 'preparing', 'starting', 'running', 'complete', 'failed', 'shutdown', 'rejected', 'orphaned',
]);

/** applyStatus returns the task with an agent's observation applied, or undefined if nothing changed. */
export function applyStatus(t: Task, s: TaskStatus__Output, now: number): Task | undefined {
  if (!STATES.has(s.state)) return undefined;
  const health = (['', 'starting', 'healthy', 'unhealthy'].includes(s.health) ? s.health : '') as Task['health'];
  const ports = portsOf(s);
  if (t.state === s.state && t.containerId === s.containerId && t.error === s.error && t.exitCode === s.exitCode && t.health === health && samePorts(t.ports ?? [], ports)) {
    return undefined;
  }
  return { ...t, state: s.state as TaskState, containerId: s.containerId, error: s.error, exitCode: s.exitCode, health, ports, updatedAt: now };
}

/** specJsonOf returns the JSON spec an assignment carries for a task. */
export function specJsonOf(service: Service | undefined, t: Task): string {
  if (service) return JSON.stringify(service.spec);
  // The service is gone: the agent only needs enough to stop the task.
  return JSON.stringify({ name: t.service.slice(t.stack.length + 1), image: '', stopGracePeriodMs: 10000 });
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
