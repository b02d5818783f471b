/**
 * The reconciler: compares services (desired) with tasks (observed) and nodes,
 * and returns a plan of tasks to create, update and remove. Pure, as nomad's
 * scheduler/reconciler: time and ids are passed in, the same input gives the
 * same plan.
 */
import { matchesConstraints } from './constraints.js';
import { canRun, isHeld, isTerminal, type DesiredState, type Node, type Service, type Task, type TaskState } from './model.js';

/** ReconcileInput is the whole state the reconciler decides from. */
export interface ReconcileInput {
  services: Service[];
  tasks: Task[];
  nodes: Node[];
  /** now is the current time in ms. */
  now: number;
  /** newId makes the id of a new task. */
  newId: () => string;
  /** terminal tasks kept per slot @default 5 */
  historyLimit?: number;
}

/** TaskUpdate changes some fields of a stored task. */
export interface TaskUpdate {
  id: string;
  desiredState?: DesiredState;
  state?: TaskState;
  error?: string;
}

/** Plan is what the reconciler wants done. */
export interface Plan {
  create: Task[];
  update: TaskUpdate[];
  remove: string[];
  /** earliest time (ms) the reconciler wants to run again, e.g. when a restart delay ends; undefined if none */
  wakeAt?: number;
}

const DEFAULT_HISTORY_LIMIT = 5;

/** PlanBuilder collects a plan: one merged update per task, a removal wins over updates. */
class PlanBuilder {
  readonly created: Task[] = [];
  readonly updates = new Map<string, TaskUpdate>();
  readonly removed = new Set<string>();
  wakeAt: number | undefined;
  readonly now: number;

  constructor(private readonly input: ReconcileInput) {
    this.now = input.now;
  }

  update(task: Task, change: Omit<TaskUpdate, 'id'>): void {
    this.updates.set(task.id, { ...this.updates.get(task.id), ...change, id: task.id });
  }

  remove(task: Task): void {
    this.removed.add(task.id);
  }

  /** stop asks a task to shut down; a task that never reached a node (unplaced, or held back) is removed instead. */
  stop(task: Task): void {
    if ((task.nodeId === '' && !isTerminal(task.state)) || isHeld(task)) this.remove(task);
    else if (task.desiredState === 'running') this.update(task, { desiredState: 'shutdown' });
  }

  /** orphan marks a task whose node is lost; its replacement needs no restart delay. */
  orphan(task: Task, nodeName: string): void {
    this.update(task, { desiredState: 'shutdown', state: 'orphaned', error: `node ${nodeName} is down` });
  }

  wake(at: number): void {
    if (this.wakeAt === undefined || at < this.wakeAt) this.wakeAt = at;
  }

  spawn(service: Service, slot: number, nodeId: string): void {
    const now = this.now;
    this.created.push({
      id: this.input.newId(),
      stack: service.stack,
      service: service.name,
      slot,
      nodeId,
      desiredState: 'running',
      state: 'new',
      containerId: '',
      error: '',
      exitCode: 0,
      health: '',
      specVersion: service.specVersion,
      createdAt: now,
      updatedAt: now,
    });
  }

  desiredState(t: Task): DesiredState {
    return this.updates.get(t.id)?.desiredState ?? t.desiredState;
  }

  state(t: Task): TaskState {
    return this.updates.get(t.id)?.state ?? t.state;
  }
}

/** RestartDecision says whether an empty slot is filled now, later, or not at all. */
type RestartDecision = { kind: 'now' } | { kind: 'later'; at: number } | { kind: 'never'; retryAt?: number };

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** newest orders tasks newest first: by creation time, then id. */
function newest(a: Task, b: Task): number {
  return b.createdAt - a.createdAt || compareIds(b.id, a.id);
}

/** rank orders live tasks for keeping one of duplicates: running, then on its way, then waiting. */
function rank(t: Task): number {
  if (t.state === 'running') return 3;
  if (t.state === 'starting' || t.state === 'preparing' || t.state === 'assigned') return 2;
  return 1;
}

/** exitedOnItsOwn tells whether a terminal task ended by itself rather than by a requested shutdown. */
function exitedOnItsOwn(t: Task): boolean {
  return isTerminal(t.state) && (t.state !== 'shutdown' || t.desiredState === 'running');
}

/**
 * restartDecision applies the service's restart policy to the newest task of
 * the current spec in an empty slot (undefined if there is none).
 */
function restartDecision(service: Service, slotTasks: readonly Task[], last: Task | undefined, now: number): RestartDecision {
  if (!last || !exitedOnItsOwn(last)) return { kind: 'now' };
  const policy = service.spec.restart;
  if (policy.condition === 'none') return { kind: 'never' };
  if (policy.condition === 'on-failure') {
    const failed = last.state === 'failed' || last.state === 'rejected' || last.state === 'orphaned' || last.exitCode !== 0;
    if (!failed) return { kind: 'never' };
  }
  if (policy.maxAttempts > 0) {
    const attempts = slotTasks
      .filter((t) => t.specVersion === service.specVersion && exitedOnItsOwn(t))
      .filter((t) => policy.windowMs <= 0 || now - t.updatedAt <= policy.windowMs)
      .map((t) => t.updatedAt)
      .sort((a, b) => a - b);
    const excess = attempts.length - policy.maxAttempts;
    if (excess > 0) {
      // Within a window, attempts age out: the slot may be retried once enough have.
      const oldest = attempts[excess - 1];
      return policy.windowMs > 0 && oldest !== undefined ? { kind: 'never', retryAt: oldest + policy.windowMs + 1 } : { kind: 'never' };
    }
  }
  // A task written after `now` means the clock was set back since: the delay
  // (seconds) is taken as passed rather than waiting out the step (minutes).
  if (last.updatedAt > now) return { kind: 'now' };
  const at = last.updatedAt + policy.delayMs;
  return now >= at ? { kind: 'now' } : { kind: 'later', at };
}

/**
 * reconcileSlot makes one slot (a replica slot, or a node of a global service)
 * hold exactly one live task of the current spec, creating it on nodeId ("" to
 * leave placement to the scheduler).
 */
function reconcileSlot(b: PlanBuilder, service: Service, tasks: readonly Task[], slot: number, nodeId: string, nodes: ReadonlyMap<string, Node>): void {
  let replaceNow = false;
  const keepers: Task[] = [];
  const exited: Task[] = [];
  for (const t of tasks) {
    if (t.desiredState !== 'running') continue;
    const outdated = t.specVersion < service.specVersion;
    if (isTerminal(t.state)) {
      if (outdated) {
        b.update(t, { desiredState: 'shutdown' });
        replaceNow = true;
      } else exited.push(t);
      continue;
    }
    const node = t.nodeId === '' ? undefined : nodes.get(t.nodeId);
    if (t.nodeId !== '' && (!node || node.status === 'down')) {
      b.orphan(t, lostNodeName(node, t.nodeId));
      replaceNow = true;
    } else if (node?.availability === 'drain' || outdated) {
      b.stop(t);
      replaceNow = true;
    } else keepers.push(t);
  }

  keepers.sort((x, y) => rank(y) - rank(x) || newest(x, y));
  for (const t of keepers.slice(1)) b.stop(t);
  if (keepers.length > 0 || replaceNow) {
    for (const t of exited) b.update(t, { desiredState: 'shutdown' });
    if (keepers.length === 0) b.spawn(service, slot, nodeId);
    return;
  }

  const last = tasks.filter((t) => t.specVersion === service.specVersion).sort(newest)[0];
  for (const t of exited) if (t !== last) b.update(t, { desiredState: 'shutdown' });
  const decision = restartDecision(service, tasks, last, b.now);
  const lastDesired = last !== undefined && last.desiredState === 'running';
  if (decision.kind === 'now') {
    if (lastDesired) b.update(last, { desiredState: 'shutdown' });
    b.spawn(service, slot, nodeId);
  } else if (decision.kind === 'later') {
    // The exited task stays desired until its replacement starts, so the delay is measured from its exit.
    b.wake(decision.at);
  } else {
    if (lastDesired) b.update(last, { desiredState: 'shutdown' });
    if (decision.retryAt !== undefined) b.wake(decision.retryAt);
  }
}

function groupBy<K>(tasks: readonly Task[], key: (t: Task) => K): Map<K, Task[]> {
  const groups = new Map<K, Task[]>();
  for (const t of tasks) {
    const list = groups.get(key(t));
    if (list) list.push(t);
    else groups.set(key(t), [t]);
  }
  return groups;
}

/** reconcileReplicated keeps slots 1..replicas filled and stops tasks in slots beyond. */
function reconcileReplicated(b: PlanBuilder, service: Service, tasks: readonly Task[], nodes: ReadonlyMap<string, Node>): void {
  const replicas = service.spec.replicas;
  const slots = groupBy(tasks, (t) => t.slot);
  for (const [slot, slotTasks] of slots) {
    if (slot >= 1 && slot <= replicas) continue;
    for (const t of slotTasks) if (t.desiredState === 'running') b.stop(t);
  }
  for (let slot = 1; slot <= replicas; slot++) reconcileSlot(b, service, slots.get(slot) ?? [], slot, '', nodes);
}

/** lostNodeName names a lost node for its orphaned tasks, with the engine's failure if that is why. */
function lostNodeName(node: Node | undefined, nodeId: string): string {
  if (!node) return nodeId;
  return node.engineError ? `${node.name} (engine unreachable: ${node.engineError})` : node.name;
}

/** isEligible tells whether a node may run a task of a global service. */
function isEligible(node: Node, service: Service): boolean {
  return canRun(node) && node.availability === 'active' && matchesConstraints(node, service.spec.constraints);
}

/**
 * reconcileGlobal keeps one live task on every eligible node. Tasks on nodes
 * that are down or gone are orphaned; on drained nodes or nodes that fail a
 * constraint they are stopped. A paused or not yet ready node keeps what it
 * runs but takes nothing new.
 */
function reconcileGlobal(b: PlanBuilder, service: Service, tasks: readonly Task[], nodes: ReadonlyMap<string, Node>): void {
  const byNode = groupBy(tasks, (t) => t.nodeId);
  for (const node of [...nodes.values()].sort((x, y) => compareIds(x.id, y.id))) {
    if (isEligible(node, service)) reconcileSlot(b, service, byNode.get(node.id) ?? [], 0, node.id, nodes);
  }
  for (const [nodeId, nodeTasks] of byNode) {
    const node = nodes.get(nodeId);
    if (node && isEligible(node, service)) continue;
    const keeps = node !== undefined && node.status !== 'down' && node.availability !== 'drain' && matchesConstraints(node, service.spec.constraints);
    for (const t of nodeTasks) {
      if (t.desiredState !== 'running') continue;
      if (isTerminal(t.state)) b.update(t, { desiredState: 'shutdown' });
      else if (nodeId === '') b.remove(t);
      else if (!node || node.status === 'down') b.orphan(t, lostNodeName(node, nodeId));
      else if (!keeps) b.stop(t);
    }
  }
}

/**
 * reconcileRemoved stops the tasks of a service that no longer exists and
 * removes them once terminal. A task on a node that is down or gone is
 * removed at once: that node, when it is back, is sent a full set without
 * it and removes its container.
 */
function reconcileRemoved(b: PlanBuilder, tasks: readonly Task[], nodes: ReadonlyMap<string, Node>): void {
  for (const t of tasks) {
    const node = t.nodeId === '' ? undefined : nodes.get(t.nodeId);
    if (isTerminal(t.state) || t.nodeId === '' || !node || node.status === 'down') b.remove(t);
    else if (t.desiredState === 'running') b.update(t, { desiredState: 'shutdown' });
  }
}

/**
 * pruneHistory keeps, per slot (per node for global services), the newest
 * terminal tasks that are no longer desired. At least one is kept, as it
 * records why an empty slot stays empty, and enough to count maxAttempts.
 */
function pruneHistory(b: PlanBuilder, service: Service, tasks: readonly Task[], historyLimit: number): void {
  const maxAttempts = service.spec.restart.maxAttempts;
  const limit = Math.max(historyLimit, 1, maxAttempts > 0 ? maxAttempts + 1 : 0);
  const global = service.spec.mode === 'global';
  for (const slotTasks of groupBy(tasks, (t) => (global ? t.nodeId : String(t.slot))).values()) {
    const history = slotTasks
      .filter((t) => !b.removed.has(t.id) && b.desiredState(t) === 'shutdown' && isTerminal(b.state(t)))
      .sort(newest);
    for (const t of history.slice(limit)) b.remove(t);
  }
}

/**
 * reconcile computes the plan that brings tasks in line with services and nodes:
 * fills and empties slots, replaces tasks after failures, node loss, drain and
 * spec updates, honours restart policies, and prunes history.
 */
export function reconcile(input: ReconcileInput): Plan {
  const b = new PlanBuilder(input);
  const nodes = new Map(input.nodes.map((n) => [n.id, n]));
  const services = [...input.services].sort((x, y) => compareIds(x.name, y.name));
  const known = new Set(services.map((s) => s.name));
  const byService = groupBy([...input.tasks].sort((x, y) => x.slot - y.slot || newest(y, x)), (t) => t.service);

  for (const service of services) {
    const tasks = byService.get(service.name) ?? [];
    if (service.spec.mode === 'global') reconcileGlobal(b, service, tasks, nodes);
    else reconcileReplicated(b, service, tasks, nodes);
  }
  for (const [name, tasks] of byService) if (!known.has(name)) reconcileRemoved(b, tasks, nodes);
  // A task asked to stop before it ever reached a node has nothing to stop.
  for (const t of input.tasks) if (t.desiredState === 'shutdown' && t.nodeId === '' && !isTerminal(t.state)) b.remove(t);
  for (const service of services) pruneHistory(b, service, byService.get(service.name) ?? [], input.historyLimit ?? DEFAULT_HISTORY_LIMIT);

  const byId = new Map(input.tasks.map((t) => [t.id, t]));
  const order = (x: Task, y: Task): number =>
    compareIds(x.service, y.service) || x.slot - y.slot || compareIds(x.nodeId, y.nodeId) || compareIds(x.id, y.id);
  const task = (id: string): Task => byId.get(id) as Task;
  const update = [...b.updates.values()]
    .filter((u) => !b.removed.has(u.id))
    .sort((x, y) => order(task(x.id), task(y.id)));
  const remove = [...b.removed].sort((x, y) => order(task(x), task(y)));
  const plan: Plan = { create: b.created.sort(order), update, remove };
  if (b.wakeAt !== undefined) plan.wakeAt = b.wakeAt;
  return plan;
}
