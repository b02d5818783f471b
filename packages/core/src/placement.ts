/**
 * The placement rules that depend on what is already placed, node by node:
 * resource reservations against a node's CPUs and memory, at most N replicas
 * per node, spreading over the values of a node attribute, and keeping a
 * replica that uses a local named volume on the node that holds its data.
 * Used by schedule() for the services that have any of them.
 */
import { isLive, type Node, type Service, type Task } from './model.js';
import { RefusalTally, type NodeRefusal, type RefusalCount, type TaskReason } from './reasons.js';

/** PlacementState is the per-node usage the rules read, updated as tasks are placed. */
export class PlacementState {
  /** reserved CPU (nano) and memory per node, of live tasks. */
  private readonly cpu = new Map<string, number>();
  private readonly memory = new Map<string, number>();
  /** own counts live tasks per service per node. */
  private readonly own = new Map<string, Map<string, number>>();
  /** lastNode is where each slot of a service last ran (`service#slot`). */
  private readonly lastNode = new Map<string, { nodeId: string; at: number }>();

  constructor(
    tasks: readonly Task[],
    services: ReadonlyMap<string, Service>,
    /** nodeIds are the nodes of the cluster: a slot is pinned only to a node that still exists. */
    private readonly nodeIds: ReadonlySet<string>,
  ) {
    for (const t of tasks) {
      if (t.nodeId === '') continue;
      const key = `${t.service}#${t.slot}`;
      const last = this.lastNode.get(key);
      if (last === undefined || t.createdAt >= last.at) this.lastNode.set(key, { nodeId: t.nodeId, at: t.createdAt });
      if (!isLive(t)) continue;
      this.add(t.service, t.nodeId, services.get(t.service));
    }
  }

  /** add counts a task of a service on a node. */
  add(service: string, nodeId: string, s: Service | undefined): void {
    const r = s?.spec.reservations;
    if (r) {
      this.cpu.set(nodeId, (this.cpu.get(nodeId) ?? 0) + r.nanoCpus);
      this.memory.set(nodeId, (this.memory.get(nodeId) ?? 0) + r.memoryBytes);
    }
    let counts = this.own.get(service);
    if (!counts) this.own.set(service, (counts = new Map()));
    counts.set(nodeId, (counts.get(nodeId) ?? 0) + 1);
  }

  ownOn(service: string, nodeId: string): number {
    return this.own.get(service)?.get(nodeId) ?? 0;
  }

  /** refuse says why a node cannot take one more task of the service (the pipeline's last filters: room and max per node), or undefined. */
  refuse(node: Node, s: Service): NodeRefusal | undefined {
    const r = s.spec.reservations;
    if (r && r.memoryBytes > 0 && node.memoryBytes > 0) {
      const free = node.memoryBytes - (this.memory.get(node.id) ?? 0);
      if (free < r.memoryBytes) return { kind: 'memory', bytes: r.memoryBytes };
    }
    if (r && r.nanoCpus > 0 && node.nanoCpus > 0) {
      const free = node.nanoCpus - (this.cpu.get(node.id) ?? 0);
      if (free < r.nanoCpus) return { kind: 'cpu', nanoCpus: r.nanoCpus };
    }
    const max = s.spec.maxReplicasPerNode ?? 0;
    if (max > 0 && this.ownOn(s.name, node.id) >= max) return { kind: 'max_replicas_per_node', max };
    return undefined;
  }

  /** pinnedNode is the node a slot must stay on because its named volume's data is there, if any. */
  pinnedNode(s: Service, slot: number): string | undefined {
    const local = (s.spec.mounts ?? []).some((m) => m.type === 'volume' && m.source !== '' && !m.external);
    if (!local || slot === 0) return undefined;
    const last = this.lastNode.get(`${s.name}#${slot}`)?.nodeId;
    return last !== undefined && this.nodeIds.has(last) ? last : undefined;
  }

  /** spreadKey is the value of a spread attribute on a node ("" when the node has none). */
  static spreadKey(node: Node, attribute: string): string {
    if (attribute === 'node.id') return node.id;
    if (attribute === 'node.hostname') return node.hostname;
    if (attribute === 'node.role') return node.role;
    return node.labels[attribute.slice('node.labels.'.length)] ?? '';
  }
}

/** needsRules tells whether a service's placement depends on what is already placed beyond counting. */
export function needsRules(s: Service): boolean {
  const { spec } = s;
  return (
    spec.reservations !== undefined ||
    (spec.maxReplicasPerNode ?? 0) > 0 ||
    (spec.spread?.length ?? 0) > 0 ||
    (spec.mounts ?? []).some((m) => m.type === 'volume' && m.source !== '' && !m.external)
  );
}

/**
 * chooseNode picks a node for one task among the eligible ones, or explains
 * why none fits: spread groups with the fewest of the service's tasks first,
 * then fewest tasks of the service, then fewest tasks, then node id.
 * `refused` are the nodes the earlier filters of the pipeline refused
 * (schedule's eligibility): an unplaceable task counts them with the nodes
 * refused here, so that two drained nodes and one short of memory read as such.
 */
export function chooseNode(
  task: Task,
  s: Service,
  eligible: readonly { node: Node; total: number }[],
  state: PlacementState,
  refused: readonly RefusalCount[] = [],
): { nodeId: string } | { reason: TaskReason } {
  const pinned = state.pinnedNode(s, task.slot);
  const tally = new RefusalTally();
  const fits: { node: Node; total: number }[] = [];
  for (const load of eligible) {
    if (pinned !== undefined && load.node.id !== pinned) continue;
    const why = state.refuse(load.node, s);
    if (why === undefined) fits.push(load);
    else tally.add(why);
  }
  if (fits.length === 0) {
    // A slot pinned to its volume's node waits for that node; the other nodes do not matter to it.
    if (pinned !== undefined && tally.size === 0) return { reason: { kind: 'waiting_for_volume_node', node: pinned } };
    if (pinned === undefined) tally.addAll(refused);
    return { reason: { kind: 'no_suitable_node', refusals: tally.list() } };
  }
  const spread = s.spec.spread ?? [];
  const groupCount = (node: Node, attribute: string): number => {
    const key = PlacementState.spreadKey(node, attribute);
    let n = 0;
    for (const e of eligible) if (PlacementState.spreadKey(e.node, attribute) === key) n += state.ownOn(s.name, e.node.id);
    return n;
  };
  let best = fits[0]!;
  for (const c of fits.slice(1)) {
    let cmp = 0;
    for (const attribute of spread) {
      cmp = groupCount(c.node, attribute) - groupCount(best.node, attribute);
      if (cmp !== 0) break;
    }
    if (cmp === 0) cmp = state.ownOn(s.name, c.node.id) - state.ownOn(s.name, best.node.id);
    if (cmp === 0) cmp = c.total - best.total;
    if (cmp === 0) cmp = c.node.id < best.node.id ? -1 : 1;
    if (cmp < 0) best = c;
  }
  return { nodeId: best.node.id };
}
