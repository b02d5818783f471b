// Original file: proto/cluster/v1/types.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Node is one host of the cluster, running one agent.
 */
export interface Node {
  'id'?: (string);
  'name'?: (string);
  /**
   * role is "manager" or "worker".
   */
  'role'?: (string);
  /**
   * address is the address other hosts reach this node on (no port).
   */
  'address'?: (string);
  'labels'?: ({[key: string]: string});
  /**
   * availability is "active", "pause" or "drain".
   */
  'availability'?: (string);
  /**
   * status is "ready", "down" or "unknown".
   */
  'status'?: (string);
  /**
   * last_heartbeat_ms is the manager's clock (Unix ms) at the last heartbeat.
   */
  'lastHeartbeatMs'?: (number | string | Long);
  'hostname'?: (string);
  'engineVersion'?: (string);
  'nanoCpus'?: (number | string | Long);
  'memoryBytes'?: (number | string | Long);
  /**
   * status_message says why a node is down, in words.
   */
  'statusMessage'?: (string);
  /**
   * engine_error is why the node's container engine does not answer, as its
   * agent reports it ("" when it answers). Such a node takes no new tasks.
   */
  'engineError'?: (string);
  /**
   * data_dir_error is why the node's agent cannot write its data dir, as it
   * reports it ("" when it can). Its tasks run on.
   */
  'dataDirError'?: (string);
}

/**
 * Node is one host of the cluster, running one agent.
 */
export interface Node__Output {
  'id': (string);
  'name': (string);
  /**
   * role is "manager" or "worker".
   */
  'role': (string);
  /**
   * address is the address other hosts reach this node on (no port).
   */
  'address': (string);
  'labels': ({[key: string]: string});
  /**
   * availability is "active", "pause" or "drain".
   */
  'availability': (string);
  /**
   * status is "ready", "down" or "unknown".
   */
  'status': (string);
  /**
   * last_heartbeat_ms is the manager's clock (Unix ms) at the last heartbeat.
   */
  'lastHeartbeatMs': (number);
  'hostname': (string);
  'engineVersion': (string);
  'nanoCpus': (number);
  'memoryBytes': (number);
  /**
   * status_message says why a node is down, in words.
   */
  'statusMessage': (string);
  /**
   * engine_error is why the node's container engine does not answer, as its
   * agent reports it ("" when it answers). Such a node takes no new tasks.
   */
  'engineError': (string);
  /**
   * data_dir_error is why the node's agent cannot write its data dir, as it
   * reports it ("" when it can). Its tasks run on.
   */
  'dataDirError': (string);
}
