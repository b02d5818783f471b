import type { NodeRefusalCount__Output, TaskReasonMessage__Output } from '@cluster/api';
import { formatTaskReason, type DependencyCondition, type NodeRefusal, type RefusalCount, type TaskReason } from '@cluster/core';

const CONDITIONS: readonly DependencyCondition[] = ['service_started', 'service_healthy', 'service_completed_successfully'];

/** refusalFromApi reads one counted refusal of the wire, or undefined for a kind this CLI does not know. */
function refusalFromApi(m: NodeRefusalCount__Output): RefusalCount | undefined {
  let refusal: NodeRefusal;
  switch (m.kind) {
    case 'down': case 'engine_unreachable': case 'not_ready': case 'drained': case 'paused':
      refusal = { kind: m.kind };
      break;
    case 'constraint': refusal = { kind: 'constraint', constraint: m.constraint }; break;
    case 'memory': refusal = { kind: 'memory', bytes: m.memoryBytes }; break;
    case 'cpu': refusal = { kind: 'cpu', nanoCpus: m.nanoCpus }; break;
    case 'max_replicas_per_node': refusal = { kind: 'max_replicas_per_node', max: m.max }; break;
    default: return undefined;
  }
  return { refusal, nodes: m.nodes };
}

/**
 * reasonFromApi reads a task's reason from the wire (the manager writes it
 * with reasonToApi), or undefined when there is none or its kind is one this
 * CLI does not know (a newer manager: the task's error still says it).
 */
export function reasonFromApi(m: TaskReasonMessage__Output | null | undefined): TaskReason | undefined {
  if (!m) return undefined;
  switch (m.kind) {
    case 'no_suitable_node': {
      const refusals = m.refusals.map(refusalFromApi);
      return refusals.every((r) => r !== undefined) ? { kind: m.kind, refusals: refusals as RefusalCount[] } : undefined;
    }
    case 'waiting_for_dependencies': {
      const known = m.waits.every((w) => CONDITIONS.includes(w.condition as DependencyCondition));
      return known ? { kind: m.kind, waits: m.waits.map((w) => ({ service: w.service, condition: w.condition as DependencyCondition, deployed: w.deployed })) } : undefined;
    }
    case 'waiting_for_volume_node': return { kind: m.kind, node: m.node };
    case 'invalid_placement': return { kind: m.kind, error: m.detail };
    case 'service_not_found': return { kind: m.kind, service: m.detail };
    default: return undefined;
  }
}

/** taskProblem is what a listing shows of a task's problem: its reason made a sentence here, else the error as the agent reported it. */
export function taskProblem(t: { error: string; reason: TaskReasonMessage__Output | null }): string {
  const r = reasonFromApi(t.reason);
  return r ? formatTaskReason(r) : t.error;
}
