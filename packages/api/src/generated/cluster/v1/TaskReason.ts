// Original file: proto/cluster/v1/types.proto

import type { NodeRefusalCount as _cluster_v1_NodeRefusalCount, NodeRefusalCount__Output as _cluster_v1_NodeRefusalCount__Output } from '../../cluster/v1/NodeRefusalCount.js';
import type { DependencyWait as _cluster_v1_DependencyWait, DependencyWait__Output as _cluster_v1_DependencyWait__Output } from '../../cluster/v1/DependencyWait.js';

/**
 * TaskReason is the scheduler's decision about a task it did not place, as a
 * code with fields (core TaskReason); only the CLI makes a sentence of it.
 */
export interface TaskReason {
  /**
   * kind is "no_suitable_node", "waiting_for_dependencies",
   * "waiting_for_volume_node", "invalid_placement" or "service_not_found".
   */
  'kind'?: (string);
  /**
   * refusals count the nodes that refused the task, by why, in the order of
   * the placement pipeline (no_suitable_node; empty: the cluster has no nodes).
   */
  'refusals'?: (_cluster_v1_NodeRefusalCount)[];
  /**
   * waits are the dependencies the task waits for (waiting_for_dependencies).
   */
  'waits'?: (_cluster_v1_DependencyWait)[];
  /**
   * node is the node that holds the task's volumes (waiting_for_volume_node).
   */
  'node'?: (string);
  /**
   * detail is what is wrong with the constraints (invalid_placement) or the
   * full name of the missing service (service_not_found).
   */
  'detail'?: (string);
}

/**
 * TaskReason is the scheduler's decision about a task it did not place, as a
 * code with fields (core TaskReason); only the CLI makes a sentence of it.
 */
export interface TaskReason__Output {
  /**
   * kind is "no_suitable_node", "waiting_for_dependencies",
   * "waiting_for_volume_node", "invalid_placement" or "service_not_found".
   */
  'kind': (string);
  /**
   * refusals count the nodes that refused the task, by why, in the order of
   * the placement pipeline (no_suitable_node; empty: the cluster has no nodes).
   */
  'refusals': (_cluster_v1_NodeRefusalCount__Output)[];
  /**
   * waits are the dependencies the task waits for (waiting_for_dependencies).
   */
  'waits': (_cluster_v1_DependencyWait__Output)[];
  /**
   * node is the node that holds the task's volumes (waiting_for_volume_node).
   */
  'node': (string);
  /**
   * detail is what is wrong with the constraints (invalid_placement) or the
   * full name of the missing service (service_not_found).
   */
  'detail': (string);
}
