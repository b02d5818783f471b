/**
 * The executor contract the agent owns: what the task lifecycle (worker.ts)
 * needs from a container engine. `docker/` implements it with dockerode; the
 * in-memory fake in fake-executor.ts implements it for unit tests and benchmarks.
 */
import type { NetworkAddress, PortMapping, PullPolicy, RegistryAuth, ServiceSpec, Task, TaskState } from '@cluster/core';

/** Health is the health of a task's container as the engine reports it ('' = no healthcheck). */
export type Health = '' | 'starting' | 'healthy' | 'unhealthy';

/** Assignment is one task the manager placed on this node, with the spec of its service. */
export interface Assignment {
  task: Task;
  spec: ServiceSpec;
}

/** Observation is what the agent reports about one task. */
export interface Observation {
  taskId: string;
  state: TaskState;
  /** containerId is '' until a container exists. */
  containerId: string;
  error: string;
  exitCode: number;
  health: Health;
  /** observedAt is the agent's clock (ms since the epoch) when the state was seen. */
  observedAt: number;
  /** ports are the host ports of the task's target ports while it runs. @default [] */
  ports?: PortMapping[];
  /** networks are the container's addresses on its networks while it runs. @default [] */
  networks?: NetworkAddress[];
}

/** ManagedContainer is a container that carries the cluster.task label. */
export interface ManagedContainer {
  containerId: string;
  taskId: string;
  stack: string;
  /** service is the full name, `stack_service`. */
  service: string;
  slot: number;
  specVersion: number;
  running: boolean;
  exitCode: number;
  /** startedAt is the engine's start time (RFC 3339), '' when the container was never started. */
  startedAt: string;
  health: Health;
  /** error is the engine's error for the container (for example a failed start), '' if none. */
  error: string;
  /** ports are the host ports the engine bound for the container's target ports. @default [] */
  ports?: PortMapping[];
  /** networks are the container's addresses on its networks while it runs. @default [] */
  networks?: NetworkAddress[];
}

/** ContainerEvent is one engine event of a labelled container. */
export interface ContainerEvent {
  containerId: string;
  taskId: string;
  /** action is 'start', 'die' or 'health_status'. */
  action: string;
}

/** ImagePull says how a node gets a task's image: the service's pull_policy, platform and registry credentials. */
export interface ImagePull {
  /** policy is when to pull. @default "missing" */
  policy?: PullPolicy;
  /** platform is asked of the pull ("linux/arm64"). @default the engine's */
  platform?: string;
  /** auth are the credentials of the image's registry, from the deploying user's `docker login`. @default none */
  auth?: RegistryAuth;
}

/** imagePullOf is how a node gets the image of a service. */
export function imagePullOf(spec: ServiceSpec): ImagePull {
  return {
    ...(spec.pullPolicy === undefined ? {} : { policy: spec.pullPolicy }),
    ...(spec.platform === undefined ? {} : { platform: spec.platform }),
    ...(spec.pullAuth === undefined ? {} : { auth: spec.pullAuth }),
  };
}

/**
 * Executor drives the containers of one node. A method fails with a
 * ClusterError (core errors.ts, the one error
 * type): `not_found` for an image that is not on the node and could not be
 * pulled, `invalid_argument` for a configuration the engine refused,
 * `unavailable` (retryable) for an engine that could not be reached or
 * failed, `timeout` (retryable) for an engine that did not answer within the
 * call's deadline.
 */
export interface Executor {
  /** list returns every container carrying the cluster.task label, running or not. */
  list(): Promise<ManagedContainer[]>;
  /** ensureImage makes the image present locally, pulling it as `pull` says; throws ClusterError('not_found'). */
  ensureImage(image: string, pull?: ImagePull): Promise<void>;
  /** create creates (does not start) the container of an assignment and returns its id. */
  create(a: Assignment, nodeId: string): Promise<string>;
  /** start starts a container; an already started one is fine. */
  start(containerId: string): Promise<void>;
  /**
   * stop stops a container, waiting graceMs before killing it; not running or not found is fine.
   * @default graceMs and signal: those the container was created with
   */
  stop(containerId: string, graceMs?: number, signal?: string): Promise<void>;
  /** remove removes a container, killing it if it still runs, and its anonymous volumes; not found is fine. */
  remove(containerId: string): Promise<void>;
  /** inspect returns a labelled container, or undefined if it does not exist. */
  inspect(containerId: string): Promise<ManagedContainer | undefined>;
  /** events subscribes to start, die and health_status events of labelled containers; resolves to an unsubscribe. */
  events(onEvent: (e: ContainerEvent) => void): Promise<() => void>;
  /** removeStackResources removes what create made for a stack (its network) once no container uses it. */
  removeStackResources?(stack: string): Promise<void>;
  /**
   * removeIdleStacks removes the networks of stacks not in `keep` that no
   * container uses (left by an agent that was killed, or by a removal that
   * raced a container's) and returns the stacks whose networks it removed.
   */
  removeIdleStacks?(keep: ReadonlySet<string>): Promise<string[]>;
  /** removeStackVolumes deletes the named volumes of a stack not in use and returns how many are left. */
  removeStackVolumes?(stack: string): Promise<number>;
}
