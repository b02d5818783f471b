// Original file: proto/cluster/v1/types.proto

import type { PortMapping as _cluster_v1_PortMapping, PortMapping__Output as _cluster_v1_PortMapping__Output } from '../../cluster/v1/PortMapping.js';
import type { NetworkAddress as _cluster_v1_NetworkAddress, NetworkAddress__Output as _cluster_v1_NetworkAddress__Output } from '../../cluster/v1/NetworkAddress.js';
import type { Long } from '@grpc/proto-loader';

/**
 * TaskStatus is an agent's observation of one of its tasks.
 */
export interface TaskStatus {
  'taskId'?: (string);
  'state'?: (string);
  'containerId'?: (string);
  'error'?: (string);
  'exitCode'?: (number);
  'health'?: (string);
  'observedAtMs'?: (number | string | Long);
  /**
   * ports are the host ports the engine bound for the task's target ports.
   */
  'ports'?: (_cluster_v1_PortMapping)[];
  /**
   * networks are the container's addresses on its networks while it runs.
   */
  'networks'?: (_cluster_v1_NetworkAddress)[];
}

/**
 * TaskStatus is an agent's observation of one of its tasks.
 */
export interface TaskStatus__Output {
  'taskId': (string);
  'state': (string);
  'containerId': (string);
  'error': (string);
  'exitCode': (number);
  'health': (string);
  'observedAtMs': (number);
  /**
   * ports are the host ports the engine bound for the task's target ports.
   */
  'ports': (_cluster_v1_PortMapping__Output)[];
  /**
   * networks are the container's addresses on its networks while it runs.
   */
  'networks': (_cluster_v1_NetworkAddress__Output)[];
}
