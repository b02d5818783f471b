/**
 * Decisions as data: why a task waits or cannot be placed, as a code with
 * fields (kind, counts, names). The scheduler returns these; they travel to
 * the CLI as the Task message's `reason`; only formatTaskReason, where a
 * reason is shown, makes a sentence of one. Nothing parses the sentence back.
 */
import { formatBytes } from './compose/parseBytes.js';
import type { DependencyCondition } from './serviceOptions.js';

/** NodeRefusal is why one node cannot take a task, as the placement filter that refused it says. */
export type NodeRefusal =
  | { kind: 'down' }
  | { kind: 'engine_unreachable' }
  | { kind: 'not_ready' }
  | { kind: 'drained' }
  | { kind: 'paused' }
  /** constraint is the first placement constraint the node fails, `node.labels.zone==eu`. */
  | { kind: 'constraint'; constraint: string }
  /** bytes is the memory reservation the node has no room for. */
  | { kind: 'memory'; bytes: number }
  /** nanoCpus is the CPU reservation the node has no room for. */
  | { kind: 'cpu'; nanoCpus: number }
  /** max is the service's max_replicas_per_node, which the node is at. */
  | { kind: 'max_replicas_per_node'; max: number };

/** NodeRefusalKind names the kinds of NodeRefusal. */
export type NodeRefusalKind = NodeRefusal['kind'];

/** RefusalCount is how many nodes refused a task for one same reason. */
export interface RefusalCount {
  refusal: NodeRefusal;
  nodes: number;
}

/** DependencyWait is one dependency a service's tasks wait for. */
export interface DependencyWait {
  /** service is the short name of the service depended on. */
  service: string;
  condition: DependencyCondition;
  /** deployed is false when the (required) dependency is not deployed at all. */
  deployed: boolean;
}

/** TaskReason is why a pending task is not placed. */
export type TaskReason =
  /** refusals count the nodes by why they refused, in pipeline order; empty when the cluster has no nodes. */
  | { kind: 'no_suitable_node'; refusals: RefusalCount[] }
  | { kind: 'waiting_for_dependencies'; waits: DependencyWait[] }
  /** node holds the data of the task's local volumes and cannot take it now. */
  | { kind: 'waiting_for_volume_node'; node: string }
  /** error says what is wrong with the service's placement constraints. */
  | { kind: 'invalid_placement'; error: string }
  | { kind: 'service_not_found'; service: string };

/** TaskReasonKind names the kinds of TaskReason. */
export type TaskReasonKind = TaskReason['kind'];

const CONDITION_WORDS: Record<DependencyCondition, string> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed successfully',
};

/** conditionWords is a depends_on condition as people say it: started, healthy, completed successfully. */
export function conditionWords(condition: DependencyCondition): string {
  return CONDITION_WORDS[condition];
}

/** refusalPhrase completes "N nodes …" for one refusal (singular verb). */
function refusalPhrase(r: NodeRefusal): string {
  switch (r.kind) {
    case 'down': return 'down';
    case 'engine_unreachable': return 'with an unreachable engine';
    case 'not_ready': return 'not ready';
    case 'drained': return 'drained';
    case 'paused': return 'paused';
    case 'constraint': return `lacks ${r.constraint}`;
    case 'memory': return `lacks ${formatBytes(r.bytes)} memory`;
    case 'cpu': return `lacks ${r.nanoCpus / 1e9} CPUs`;
    case 'max_replicas_per_node': return `at max_replicas_per_node ${r.max}`;
  }
}

/** formatRefusals writes counted refusals: `2 nodes drained, 1 node lacks 512MiB memory`. */
export function formatRefusals(refusals: readonly RefusalCount[]): string {
  if (refusals.length === 0) return 'no nodes';
  return refusals.map(({ refusal, nodes }) => {
    const phrase = refusalPhrase(refusal);
    return nodes === 1 ? `1 node ${phrase}` : `${nodes} nodes ${phrase.replace(/^lacks /, 'lack ')}`;
  }).join(', ');
}

/** formatTaskReason makes the sentence shown for a reason: `no suitable node (2 nodes drained, 1 node lacks 512MiB memory)`. */
export function formatTaskReason(r: TaskReason): string {
  switch (r.kind) {
    case 'no_suitable_node': return `no suitable node (${formatRefusals(r.refusals)})`;
    case 'waiting_for_dependencies':
      return `waiting for ${r.waits.map((w) => `${w.service}: ${conditionWords(w.condition)}${w.deployed ? '' : ' (not deployed)'}`).join(', ')}`;
    case 'waiting_for_volume_node': return `waiting for node ${r.node}, which holds the data of its volumes (see README: moving a volume)`;
    case 'invalid_placement': return `invalid placement: ${r.error}`;
    case 'service_not_found': return `service "${r.service}" not found`;
  }
}

/** refusalKey identifies a refusal for counting: same kind and fields, same key. */
export function refusalKey(r: NodeRefusal): string {
  switch (r.kind) {
    case 'constraint': return `constraint ${r.constraint}`;
    case 'memory': return `memory ${r.bytes}`;
    case 'cpu': return `cpu ${r.nanoCpus}`;
    case 'max_replicas_per_node': return `max ${r.max}`;
    default: return r.kind;
  }
}

/** STAGE orders refusals as the pipeline runs its filters: readiness, availability, constraints, then room on the node. */
const STAGE: Record<NodeRefusalKind, number> = {
  down: 0, engine_unreachable: 0, not_ready: 0, drained: 1, paused: 1, constraint: 2, memory: 3, cpu: 3, max_replicas_per_node: 3,
};

/**
 * RefusalTally counts the refusals of one placement question over every node
 * the pipeline looked at (each node counted once, under the first filter that
 * refused it), so that an unplaceable task names all of them.
 */
export class RefusalTally {
  private readonly counts = new Map<string, RefusalCount>();

  /** add counts one node refused for `r`. */
  add(r: NodeRefusal, nodes = 1): void {
    const key = refusalKey(r);
    const c = this.counts.get(key);
    if (c) c.nodes += nodes;
    else this.counts.set(key, { refusal: r, nodes });
  }

  /** addAll counts the refusals of another tally too. */
  addAll(others: readonly RefusalCount[]): void {
    for (const c of others) this.add(c.refusal, c.nodes);
  }

  /** size is the number of distinct refusals counted. */
  get size(): number {
    return this.counts.size;
  }

  /** list returns the counts in pipeline order (then in the order first seen). */
  list(): RefusalCount[] {
    return [...this.counts.values()].map((c, i) => ({ c, i }))
      .sort((a, b) => STAGE[a.c.refusal.kind] - STAGE[b.c.refusal.kind] || a.i - b.i)
      .map(({ c }) => ({ refusal: c.refusal, nodes: c.nodes }));
  }
}
