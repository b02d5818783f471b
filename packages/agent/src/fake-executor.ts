/**
 * An in-memory Executor for unit tests and benchmarks of many simulated nodes:
 * containers live in a Map and every call is synchronous work behind a promise.
 */
import { ClusterError, LABELS, type ServiceSpec, type Task } from '@cluster/core';
import {
  type ImagePull,
  type Assignment,
  type ContainerEvent,
  type Executor,
  type Health,
  type ManagedContainer,
} from './executor.js';

/** FakeExecutorOptions shape a FakeExecutor. */
export interface FakeExecutorOptions {
  /** images are present on the node; others fail ensureImage. @default every image is present */
  images?: Iterable<string>;
  /** idPrefix starts every container id, so ids of many fakes differ. @default "c" */
  idPrefix?: string;
}

/** FakeContainer is a container of the fake: the managed view plus what made it. */
export interface FakeContainer extends ManagedContainer {
  image: string;
  labels: Record<string, string>;
  /** healthcheck says whether the spec asked for one: a start then reports health 'starting'. */
  healthcheck: boolean;
  /** starts counts how often the container was started. */
  starts: number;
}

/** FakeExecutor is an Executor whose containers are values in a Map. */
export class FakeExecutor implements Executor {
  /** containers by id. */
  readonly containers = new Map<string, FakeContainer>();
  /** calls counts the calls of each method, for tests that assert what was (not) done. */
  /** pulls are the images asked for, with how (ensureImage's arguments), in order. */
  readonly pulls: ({ image: string } & ImagePull)[] = [];
  readonly calls = { ensureImage: 0, create: 0, start: 0, stop: 0, remove: 0, removeStackResources: 0, inspect: 0 };
  /** removedStacks lists the stacks whose resources were removed, in order. */
  readonly removedStacks: string[] = [];
  private readonly images: Set<string> | undefined;
  private readonly idPrefix: string;
  private readonly listeners = new Set<(e: ContainerEvent) => void>();
  private nextId = 1;
  /** engineDown makes every call fail as a refused connection does: an engine that went away. @default false */
  engineDown = false;

  constructor(opts: FakeExecutorOptions = {}) {
    this.images = opts.images === undefined ? undefined : new Set(opts.images);
    this.idPrefix = opts.idPrefix ?? 'c';
  }

  async list(): Promise<ManagedContainer[]> {
    this.answer();
    return [...this.containers.values()].map(view);
  }

  async ensureImage(image: string, pull?: ImagePull): Promise<void> {
    this.calls.ensureImage++;
    this.pulls.push({ image, ...(pull ?? {}) });
    this.answer();
    if (this.images !== undefined && !this.images.has(image)) {
      throw new ClusterError('not_found', `image "${image}" is not on this node and could not be pulled: no registry`);
    }
  }

  async create(a: Assignment, nodeId: string): Promise<string> {
    this.calls.create++;
    this.answer();
    const id = `${this.idPrefix}${this.nextId++}`;
    const { task, spec } = a;
    this.containers.set(id, {
      containerId: id,
      taskId: task.id,
      stack: task.stack,
      service: task.service,
      slot: task.slot,
      specVersion: task.specVersion,
      running: false,
      exitCode: 0,
      startedAt: '',
      health: '',
      error: '',
      image: spec.image,
      labels: { ...spec.labels, [LABELS.task]: task.id, [LABELS.stack]: task.stack, [LABELS.node]: nodeId },
      healthcheck: spec.healthcheck !== undefined && spec.healthcheck.test[0] !== 'NONE',
      starts: 0,
    });
    return id;
  }

  async start(containerId: string): Promise<void> {
    this.calls.start++;
    this.answer();
    const c = this.mustGet(containerId);
    if (c.running) return;
    c.running = true;
    c.exitCode = 0;
    c.starts++;
    c.startedAt = new Date(0).toISOString();
    c.health = c.healthcheck ? 'starting' : '';
    this.emit(c, 'start');
  }

  async stop(containerId: string, _graceMs?: number, _signal?: string): Promise<void> {
    this.calls.stop++;
    this.answer();
    const c = this.containers.get(containerId);
    if (!c || !c.running) return;
    c.running = false;
    c.exitCode = 137;
    this.emit(c, 'die');
  }

  async remove(containerId: string): Promise<void> {
    this.calls.remove++;
    this.answer();
    this.containers.delete(containerId);
  }

  async inspect(containerId: string): Promise<ManagedContainer | undefined> {
    this.calls.inspect++;
    this.answer();
    const c = this.containers.get(containerId);
    return c && view(c);
  }

  async events(onEvent: (e: ContainerEvent) => void): Promise<() => void> {
    this.listeners.add(onEvent);
    return () => this.listeners.delete(onEvent);
  }

  async removeStackResources(stack: string): Promise<void> {
    this.calls.removeStackResources++;
    this.removedStacks.push(stack);
  }

  /** running counts the running containers. */
  running(): number {
    let n = 0;
    for (const c of this.containers.values()) if (c.running) n++;
    return n;
  }

  /** answer throws what a call to an engine that went away gets. */
  private answer(): void {
    if (this.engineDown) throw new ClusterError('unavailable', 'docker: connect ECONNREFUSED /run/fake-engine.sock', { retryable: true });
  }

  /** crash simulates the exit of a running container. */
  crash(containerId: string, exitCode: number): void {
    const c = this.mustGet(containerId);
    c.running = false;
    c.exitCode = exitCode;
    this.emit(c, 'die');
  }

  /** setHealth simulates a health_status event. */
  setHealth(containerId: string, health: Health): void {
    const c = this.mustGet(containerId);
    c.health = health;
    this.emit(c, 'health_status');
  }

  /** add puts a labelled container on the node as if an earlier agent had made it. */
  add(c: Partial<FakeContainer> & { taskId: string }): FakeContainer {
    const id = c.containerId ?? `${this.idPrefix}${this.nextId++}`;
    const full: FakeContainer = {
      stack: 's',
      service: 's_svc',
      slot: 1,
      specVersion: 1,
      running: true,
      exitCode: 0,
      startedAt: new Date(0).toISOString(),
      health: '',
      error: '',
      image: 'img',
      labels: {},
      healthcheck: false,
      starts: 1,
      ...c,
      containerId: id,
    };
    this.containers.set(id, full);
    return full;
  }

  /** byTask returns the containers of a task. */
  byTask(taskId: string): FakeContainer[] {
    return [...this.containers.values()].filter((c) => c.taskId === taskId);
  }

  private mustGet(containerId: string): FakeContainer {
    const c = this.containers.get(containerId);
    if (!c) throw new ClusterError('unavailable', `fake: no such container ${containerId}`);
    return c;
  }

  private emit(c: FakeContainer, action: string): void {
    const e = { containerId: c.containerId, taskId: c.taskId, action };
    for (const l of this.listeners) l(e);
  }
}

function view(c: FakeContainer): ManagedContainer {
  return {
    containerId: c.containerId,
    taskId: c.taskId,
    stack: c.stack,
    service: c.service,
    slot: c.slot,
    specVersion: c.specVersion,
    running: c.running,
    exitCode: c.exitCode,
    startedAt: c.startedAt,
    health: c.health,
    error: c.error,
  };
}

/** AssignmentParts override parts of a made-up assignment. */
export interface AssignmentParts {
  task?: Partial<Task>;
  spec?: Partial<ServiceSpec>;
}

/**
 * makeAssignment builds a complete assignment for tests and benchmarks:
 * task `t1`, slot 1 of service `s_web` (image cluster-test/busybox:latest), desired running.
 */
export function makeAssignment(parts: AssignmentParts = {}): Assignment {
  const stack = parts.task?.stack ?? 's';
  const name = parts.spec?.name ?? 'web';
  const spec: ServiceSpec = {
    name,
    image: 'cluster-test/busybox:latest',
    env: {},
    labels: {},
    ports: [],
    mode: 'replicated',
    replicas: 1,
    restart: { condition: 'any', delayMs: 500, maxAttempts: 0, windowMs: 0 },
    constraints: [],
    stopGracePeriodMs: 10_000,
    ...parts.spec,
  };
  const task: Task = {
    id: 't1',
    stack,
    service: `${stack}_${name}`,
    slot: 1,
    nodeId: 'node1',
    desiredState: 'running',
    state: 'assigned',
    containerId: '',
    error: '',
    exitCode: 0,
    health: '',
    specVersion: 1,
    createdAt: 0,
    updatedAt: 0,
    ...parts.task,
  };
  return { task, spec };
}
