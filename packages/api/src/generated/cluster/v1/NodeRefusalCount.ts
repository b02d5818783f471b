// Original file: proto/cluster/v1/types.proto

import type { Long } from '@grpc/proto-loader';

/**
 * NodeRefusalCount is how many nodes refused a task for one same reason.
 */
export interface NodeRefusalCount {
  /**
   * kind is "down", "engine_unreachable", "not_ready", "drained", "paused",
   * "constraint", "memory", "cpu" or "max_replicas_per_node".
   */
  'kind'?: (string);
  'nodes'?: (number);
  /**
   * constraint is the constraint the nodes fail (kind constraint).
   */
  'constraint'?: (string);
  /**
   * memory_bytes is the reservation the nodes have no room for (kind memory).
   */
  'memoryBytes'?: (number | string | Long);
  /**
   * nano_cpus is the reservation the nodes have no room for (kind cpu).
   */
  'nanoCpus'?: (number | string | Long);
  /**
   * max is the service's max_replicas_per_node (kind max_replicas_per_node).
   */
  'max'?: (number);
}

/**
 * NodeRefusalCount is how many nodes refused a task for one same reason.
 */
export interface NodeRefusalCount__Output {
  /**
   * kind is "down", "engine_unreachable", "not_ready", "drained", "paused",
   * "constraint", "memory", "cpu" or "max_replicas_per_node".
   */
  'kind': (string);
  'nodes': (number);
  /**
   * constraint is the constraint the nodes fail (kind constraint).
   */
  'constraint': (string);
  /**
   * memory_bytes is the reservation the nodes have no room for (kind memory).
   */
  'memoryBytes': (number);
  /**
   * nano_cpus is the reservation the nodes have no room for (kind cpu).
   */
  'nanoCpus': (number);
  /**
   * max is the service's max_replicas_per_node (kind max_replicas_per_node).
   */
  'max': (number);
}
