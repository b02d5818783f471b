/**
 * The scheduler: places pending tasks on nodes. A pipeline of small filters
 * (as swarmkit's manager/scheduler/filter.go) decides which nodes may take a
 * task of a service, and each filter explains its refusals; among the nodes
 * left, the one with the fewest tasks of the same service wins, then the one
 * with the fewest tasks overall, then the lowest node id.
 */
import { formatConstraint, matchConstraint, parseConstraints, type Constraint } from './constraints.js';
import { DependencyIndex } from './dependencies.js';
import { canRun, isHeld, isLive, type Node, type Service, type Task } from './model.js';
import { chooseNode, needsRules, PlacementState } from './placement.js';
import { formatTaskReason, RefusalTally, type NodeRefusal, type RefusalCount, type TaskReason } from './reasons.js';

export { formatConstraint, matchConstraint, matchesConstraints, parseConstraint, parseConstraints } from './constraints.js';
export type { Constraint } from './constraints.js';
export { needsRules } from './placement.js';

/** ScheduleInput is what the scheduler sees: tasks, all nodes, services by full name. */
export interface ScheduleInput {
  /**
   * tasks are all tasks, or, with `only`, at least every task of the
   * services in `only`, of the services they depend on and, when one of
   * them has placement rules (placement.ts), of every service.
   */
  tasks: Task[];
  nodes: Node[];
  /** services by full name (`stack_service`). */
  services: Map<string, Service>;
  /** only limits placement to the tasks of these services; other tasks in `tasks` only count. @default every service */
  only?: ReadonlySet<string>;
  /** baseLoad counts, per node, the live tasks left out of `tasks` (the scheduler counts those in it). @default none */
  baseLoad?: ReadonlyMap<string, number>;
}

/** Placement assigns a pending task to a node. */
export interface Placement {
  taskId: string;
  nodeId: string;
}

/** Unplaced is a pending task no node can take, with the reason as data (why) and as shown (reason). */
export interface Unplaced {
  taskId: string;
  /** why is the reason as a code with fields. */
  why: TaskReason;
  /** reason is formatTaskReason(why). */
  reason: string;
}

/** ScheduleResult is the scheduler's answer, ordered by service and slot. */
export interface ScheduleResult {
  placements: Placement[];
  unplaced: Unplaced[];
}

/** NodeFilter checks one node for a task of a service and says why it refuses it, as data. */
interface NodeFilter {
  /** refuse returns undefined when the node passes, else its refusal. */
  refuse(node: Node, constraints: readonly Constraint[]): NodeRefusal | undefined;
}

/** readyFilter refuses nodes that are not ready, or whose engine does not answer. */
const readyFilter: NodeFilter = {
  refuse: (node) => (canRun(node) ? undefined : { kind: node.status === 'down' ? 'down' : node.engineError ? 'engine_unreachable' : 'not_ready' }),
};

/** availabilityFilter refuses paused and drained nodes: they take no new tasks. */
const availabilityFilter: NodeFilter = {
  refuse: (node) => (node.availability === 'active' ? undefined : { kind: node.availability === 'drain' ? 'drained' : 'paused' }),
};

/** constraintFilter refuses nodes that fail a placement constraint, naming the first one failed. */
const constraintFilter: NodeFilter = {
  refuse: (node, constraints) => {
    const failed = constraints.find((c) => !matchConstraint(node, c));
    return failed === undefined ? undefined : { kind: 'constraint', constraint: formatConstraint(failed) };
  },
};

/**
 * FILTERS run in this order; a node is counted under the first filter that
 * refuses it. The pipeline goes on per task in placement.ts (room for the
 * service's reservations, max_replicas_per_node), whose refusals are counted
 * with these.
 */
const FILTERS: readonly NodeFilter[] = [readyFilter, availabilityFilter, constraintFilter];

/** NodeLoad is a node with its count of live tasks, updated as placements are made. */
interface NodeLoad {
  node: Node;
  total: number;
}

/** Eligibility is the outcome of the filters for one set of constraints: the nodes left and the refusals counted, or why no node is left. */
type Eligibility = { nodes: NodeLoad[]; refused: RefusalCount[] } | { reason: TaskReason };

/** isPending tells whether a task waits for the scheduler to choose its node. */
export function isPending(t: Task): boolean {
  return t.desiredState === 'running' && t.nodeId === '' && (t.state === 'new' || t.state === 'pending');
}

/** eligibility runs the filters over every node for one set of constraints. */
function eligibility(loads: readonly NodeLoad[], texts: readonly string[]): Eligibility {
  const constraints = parseConstraints(texts);
  if ('error' in constraints) return { reason: { kind: 'invalid_placement', error: constraints.error } };
  const tally = new RefusalTally();
  const nodes: NodeLoad[] = [];
  for (const load of loads) {
    let refusal: NodeRefusal | undefined;
    for (let i = 0; i < FILTERS.length && refusal === undefined; i++) refusal = FILTERS[i]?.refuse(load.node, constraints);
    if (refusal === undefined) nodes.push(load);
    else tally.add(refusal);
  }
  if (nodes.length > 0) return { nodes, refused: tally.list() };
  return { reason: { kind: 'no_suitable_node', refusals: tally.list() } };
}

/** unplacedTask makes the entry of a task left unplaced for `why`. */
function unplacedTask(taskId: string, why: TaskReason): Unplaced {
  return { taskId, why, reason: formatTaskReason(why) };
}

/** Candidate is a node in a service's heap: its count of the service's tasks and its load. */
interface Candidate {
  load: NodeLoad;
  own: number;
}

function before(a: Candidate, b: Candidate): boolean {
  if (a.own !== b.own) return a.own < b.own;
  if (a.load.total !== b.load.total) return a.load.total < b.load.total;
  return a.load.node.id < b.load.node.id;
}

function siftDown(heap: Candidate[], i: number): void {
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < n && before(heap[l] as Candidate, heap[m] as Candidate)) m = l;
    if (r < n && before(heap[r] as Candidate, heap[m] as Candidate)) m = r;
    if (m === i) return;
    const tmp = heap[i] as Candidate;
    heap[i] = heap[m] as Candidate;
    heap[m] = tmp;
    i = m;
  }
}

function compareTasks(a: Task, b: Task): number {
  if (a.service !== b.service) return a.service < b.service ? -1 : 1;
  if (a.slot !== b.slot) return a.slot - b.slot;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * schedule places every pending task (desired running, state new or pending,
 * no node) or says why it cannot; a held task (one born on its node) is
 * placed on that node once its dependencies are ready. Pure; O(tasks + services × nodes + placements × log nodes).
 */
export function schedule(input: ScheduleInput): ScheduleResult {
  const nodes = [...input.nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const loads = new Map<string, NodeLoad>(nodes.map((node) => [node.id, { node, total: input.baseLoad?.get(node.id) ?? 0 }]));
  const only = input.only;
  // own counts the live tasks of each service on each node.
  const own = new Map<string, Map<string, number>>();
  const pending = new Map<string, Task[]>();
  const held = new Map<string, Task[]>();
  for (const t of input.tasks) {
    if (only !== undefined && !only.has(t.service)) {
      if (isLive(t)) {
        const load = loads.get(t.nodeId);
        if (load) load.total++;
      }
      continue;
    }
    if (isPending(t)) {
      const list = pending.get(t.service);
      if (list) list.push(t);
      else pending.set(t.service, [t]);
      continue;
    }
    if (isHeld(t)) {
      const list = held.get(t.service);
      if (list) list.push(t);
      else held.set(t.service, [t]);
    }
    if (isLive(t)) {
      const load = loads.get(t.nodeId);
      if (!load) continue;
      load.total++;
      let counts = own.get(t.service);
      if (!counts) own.set(t.service, (counts = new Map()));
      counts.set(t.nodeId, (counts.get(t.nodeId) ?? 0) + 1);
    }
  }

  const placements: Placement[] = [];
  const unplaced: Unplaced[] = [];
  const allLoads = [...loads.values()];
  // Services with the same constraints share one run of the filters.
  const byConstraints = new Map<string, Eligibility>();
  const deps = new DependencyIndex(input.tasks, input.services);
  const withRules = [...pending.keys()].some((n) => { const s = input.services.get(n); return s !== undefined && needsRules(s); });
  const rules = withRules ? new PlacementState(input.tasks, input.services, new Set(loads.keys())) : undefined;
  for (const name of [...new Set([...pending.keys(), ...held.keys()])].sort()) {
    const service = input.services.get(name);
    // Tasks born on their node wait for the same dependencies, then are released there.
    const fixed = (held.get(name) ?? []).sort(compareTasks);
    const waits = service === undefined ? undefined : deps.waitingFor(service);
    const waiting: TaskReason | undefined = waits === undefined ? undefined : { kind: 'waiting_for_dependencies', waits };
    const missing: TaskReason = { kind: 'service_not_found', service: name };
    for (const t of fixed) {
      if (!service) unplaced.push(unplacedTask(t.id, missing));
      else if (waiting === undefined) placements.push({ taskId: t.id, nodeId: t.nodeId });
      else unplaced.push(unplacedTask(t.id, waiting));
    }
    const tasks = (pending.get(name) ?? []).sort(compareTasks);
    if (tasks.length === 0) continue;
    if (!service) {
      for (const t of tasks) unplaced.push(unplacedTask(t.id, missing));
      continue;
    }
    if (waiting !== undefined) {
      for (const t of tasks) unplaced.push(unplacedTask(t.id, waiting));
      continue;
    }
    const key = service.spec.constraints.join('\n');
    let found = byConstraints.get(key);
    if (!found) byConstraints.set(key, (found = eligibility(allLoads, service.spec.constraints)));
    if ('reason' in found) {
      for (const t of tasks) unplaced.push(unplacedTask(t.id, found.reason));
      continue;
    }
    if (rules !== undefined && needsRules(service)) {
      for (const t of tasks) {
        const r = chooseNode(t, service, found.nodes, rules, found.refused);
        if ('reason' in r) {
          unplaced.push(unplacedTask(t.id, r.reason));
          continue;
        }
        placements.push({ taskId: t.id, nodeId: r.nodeId });
        rules.add(name, r.nodeId, service);
        const load = loads.get(r.nodeId);
        if (load) load.total++;
      }
      continue;
    }
    const counts = own.get(name);
    const heap: Candidate[] = found.nodes.map((load) => ({ load, own: counts?.get(load.node.id) ?? 0 }));
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
    for (const t of tasks) {
      // Only the chosen node's counts change, so restoring the heap at its root is enough.
      const best = heap[0] as Candidate;
      placements.push({ taskId: t.id, nodeId: best.load.node.id });
      rules?.add(name, best.load.node.id, service);
      best.own++;
      best.load.total++;
      siftDown(heap, 0);
    }
  }
  return { placements, unplaced };
}
