/**
 * The state model of ARCHITECTURE.md as plain values. Everything here is data:
 * no I/O, no clocks, no randomness.
 */
import type { NetworkAddress } from './overlay.js';
import type { ServiceOptions } from './serviceOptions.js';
import type { TaskReason } from './reasons.js';

/** PortSpec is one published port of a service. */
export interface PortSpec {
  /** target is the container port. */
  target: number;
  /** published is the port on every node (mode ingress) or the task's node (mode host); 0 means none. */
  published: number;
  /** protocol is "tcp" or "udp". @default "tcp" */
  protocol: 'tcp' | 'udp';
  /** mode is "ingress" (every node) or "host" (the task's own node). @default "ingress" */
  mode: 'ingress' | 'host';
}

/** RestartPolicy says when a finished task is replaced in its slot. */
export interface RestartPolicy {
  /** condition: "any" replaces on every exit, "on-failure" only on a non-zero exit, "none" never. @default "any" */
  condition: 'any' | 'on-failure' | 'none';
  /** delayMs is how long after the exit the replacement starts. @default 500 */
  delayMs: number;
  /** maxAttempts bounds the replacements per slot; 0 means no bound. @default 0 */
  maxAttempts: number;
  /** windowMs is the window over which attempts are counted; 0 means ever. @default 0 */
  windowMs: number;
}

/** Healthcheck is a normalized Compose healthcheck (times in ms). */
export interface Healthcheck {
  /** test is the Docker form: ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]. */
  test: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

/** ServiceSpec is the normalized spec of one service of a stack; ServiceOptions are the keys a file may leave out. */
export interface ServiceSpec extends ServiceOptions {
  /** name is the short name as written in the Compose file (`web`). */
  name: string;
  image: string;
  /** command replaces the image's CMD when set. */
  command?: string[];
  /** entrypoint replaces the image's ENTRYPOINT when set. */
  entrypoint?: string[];
  /** env is the container environment. */
  env: Record<string, string>;
  /** labels are container labels given by the user. */
  labels: Record<string, string>;
  ports: PortSpec[];
  mode: 'replicated' | 'global';
  /** replicas is the desired count in replicated mode. @default 1 */
  replicas: number;
  restart: RestartPolicy;
  /** constraints are placement constraints such as `node.labels.zone==eu`. */
  constraints: string[];
  healthcheck?: Healthcheck;
  workingDir?: string;
  user?: string;
  hostname?: string;
  /** stopGracePeriodMs is how long a stop waits before SIGKILL. @default 10000 */
  stopGracePeriodMs: number;
  stopSignal?: string;
}

/** StackSpec is a whole stack: its name and services by short name. */
export interface StackSpec {
  name: string;
  services: Record<string, ServiceSpec>;
}

/** TaskState is the observed state of a task, in lifecycle order. */
export type TaskState =
  | 'new'
  | 'pending'
  | 'assigned'
  | 'preparing'
  | 'starting'
  | 'running'
  | 'complete'
  | 'failed'
  | 'shutdown'
  | 'rejected'
  | 'orphaned';

/** TERMINAL_STATES are the states a task never leaves. */
export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set(['complete', 'failed', 'shutdown', 'rejected', 'orphaned']);

/** isTerminal tells whether a task has finished for good. */
export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.has(state);
}

/**
 * shouldRun tells whether a task is meant to run and has not finished: it may
 * still serve (also while it waits for a node, is unhealthy or its node is down).
 */
export function shouldRun(t: Pick<Task, 'desiredState' | 'state'>): boolean {
  return t.desiredState === 'running' && !isTerminal(t.state);
}

/**
 * isLive is the one "live task" rule: a task holds a place on its node (counts
 * against its resources and its service's spread) while it should run, has a
 * node and has not finished.
 */
export function isLive(t: Pick<Task, 'desiredState' | 'state' | 'nodeId'>): boolean {
  return t.nodeId !== '' && shouldRun(t);
}

/**
 * isHeld tells whether a task born on its node (a global service's) waits for
 * the scheduler to release it: the scheduler assigns it there once its
 * dependencies are ready, and it is not sent to the node before.
 */
export function isHeld(t: Pick<Task, 'desiredState' | 'nodeId' | 'state'>): boolean {
  return t.desiredState === 'running' && t.nodeId !== '' && (t.state === 'new' || t.state === 'pending');
}

/** DesiredState is what the manager wants of a task. */
export type DesiredState = 'running' | 'shutdown';

/** Task is one replica slot of a service. */
export interface Task {
  id: string;
  stack: string;
  /** service is the full name, `stack_service`. */
  service: string;
  /** slot is 1..N in replicated mode, 0 in global mode. */
  slot: number;
  /** nodeId is "" until placed. */
  nodeId: string;
  desiredState: DesiredState;
  state: TaskState;
  containerId: string;
  error: string;
  exitCode: number;
  health: '' | 'starting' | 'healthy' | 'unhealthy';
  specVersion: number;
  createdAt: number;
  updatedAt: number;
  /** ports are the host ports the task's target ports answer on, as its agent reported. */
  ports?: PortMapping[];
  /**
   * address is the task's own virtual IPv4 (taskAddresses.ts), given by the
   * manager's registry when a task of a service with ports first serves; it
   * is the task's while the task is live. @default none
   */
  address?: string;
  /** networks are the container's addresses on its overlay networks, as its agent reported while it runs. @default none */
  networks?: NetworkAddress[];
  /** reason is why a pending task is not placed, as data (error holds it as shown). @default none */
  reason?: TaskReason;
}

/**
 * copyTask returns a copy of a task for the caller to change, with ports,
 * address and networks replaced when given (networks null: none), built as one object literal with the fields in a fixed order (ports and address only
 * when set), so that every copy shares one of four hidden classes. An object
 * spread that adds a key the source lacks (`{ ...t, ports }`) gives each copy
 * a hidden class of its own in Node 20 after the first few (about 450 bytes
 * of old-space memory per copy, and about 3 times the time): a manager keeps
 * 100,000 tasks and copies each on every change.
 */
export function copyTask(t: Task, ports = t.ports, address = t.address, networks: NetworkAddress[] | null | undefined = t.networks): Task {
  const c = copyTaskFields(t, ports, address);
  // Added last, always in the same order: every copy with networks shares one hidden class per shape above.
  if (networks) c.networks = networks;
  if (t.reason) c.reason = t.reason;
  return c;
}

function copyTaskFields(t: Task, ports: PortMapping[] | undefined, address: string | undefined): Task {
  if (ports === undefined && address === undefined) {
    return { id: t.id, stack: t.stack, service: t.service, slot: t.slot, nodeId: t.nodeId, desiredState: t.desiredState, state: t.state, containerId: t.containerId, error: t.error, exitCode: t.exitCode, health: t.health, specVersion: t.specVersion, createdAt: t.createdAt, updatedAt: t.updatedAt };
  }
  if (address === undefined) {
    return { id: t.id, stack: t.stack, service: t.service, slot: t.slot, nodeId: t.nodeId, desiredState: t.desiredState, state: t.state, containerId: t.containerId, error: t.error, exitCode: t.exitCode, health: t.health, specVersion: t.specVersion, createdAt: t.createdAt, updatedAt: t.updatedAt, ports };
  }
  if (ports === undefined) {
    return { id: t.id, stack: t.stack, service: t.service, slot: t.slot, nodeId: t.nodeId, desiredState: t.desiredState, state: t.state, containerId: t.containerId, error: t.error, exitCode: t.exitCode, health: t.health, specVersion: t.specVersion, createdAt: t.createdAt, updatedAt: t.updatedAt, address };
  }
  return { id: t.id, stack: t.stack, service: t.service, slot: t.slot, nodeId: t.nodeId, desiredState: t.desiredState, state: t.state, containerId: t.containerId, error: t.error, exitCode: t.exitCode, health: t.health, specVersion: t.specVersion, createdAt: t.createdAt, updatedAt: t.updatedAt, ports, address };
}

/** PortMapping says on which host port of its node a task's target port answers. */
export interface PortMapping {
  target: number;
  protocol: 'tcp' | 'udp';
  hostPort: number;
}

/** Service is a stored service: full name, spec and version. */
export interface Service {
  /** name is the full name, `stack_service`. */
  name: string;
  stack: string;
  spec: ServiceSpec;
  /** specVersion increases on every change of spec (not on scale). */
  specVersion: number;
  createdAt: number;
  updatedAt: number;
  /** vip is the service's virtual IPv4 address, allocated once by the manager's registry. */
  vip?: string;
}

/** NodeRole is the role a node joined with. */
export type NodeRole = 'manager' | 'worker';
/** NodeAvailability is set by operators: drain moves tasks off, pause takes no new ones. */
export type NodeAvailability = 'active' | 'pause' | 'drain';
/** NodeStatus is what the manager observes of a node. */
export type NodeStatus = 'ready' | 'down' | 'unknown';

/** Node is one host of the cluster. */
export interface Node {
  id: string;
  name: string;
  role: NodeRole;
  address: string;
  hostname: string;
  labels: Record<string, string>;
  availability: NodeAvailability;
  status: NodeStatus;
  statusMessage: string;
  /**
   * engineError is why the node's container engine does not answer, as its
   * agent reports it: such a node takes no new tasks, and past the manager's
   * engine grace period it is marked down. @default "" (the engine answers)
   */
  engineError?: string;
  /**
   * dataDirError is why the node's agent cannot write its data dir (full,
   * read-only), as it reports it; its tasks run on. @default "" (writes work)
   */
  dataDirError?: string;
  lastHeartbeat: number;
  engineVersion: string;
  nanoCpus: number;
  memoryBytes: number;
  createdAt: number;
}

/** canRun tells whether a node can take new tasks: it is ready and its engine answers. */
export function canRun(node: Node): boolean {
  return node.status === 'ready' && !node.engineError;
}

/** fullServiceName joins a stack and a short service name as `stack_service`. */
export function fullServiceName(stack: string, service: string): string {
  return `${stack}_${service}`;
}

/** LABELS are the container labels every container made by an agent carries. */
export const LABELS = {
  stack: 'cluster.stack',
  service: 'cluster.service',
  task: 'cluster.task',
  slot: 'cluster.slot',
  spec: 'cluster.spec',
  node: 'cluster.node',
} as const;

/** NAME_RE is what a stack or service name must match (as Compose project names). */
export const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;

/** EXTERNAL_NAME_RE is what the name of a secret or config made in the cluster must match. */
export const EXTERNAL_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
