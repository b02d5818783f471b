// Original file: proto/cluster/v1/dispatcher.proto

import type { PortMapping as _cluster_v1_PortMapping, PortMapping__Output as _cluster_v1_PortMapping__Output } from '../../cluster/v1/PortMapping.js';
import type { NetworkAddress as _cluster_v1_NetworkAddress, NetworkAddress__Output as _cluster_v1_NetworkAddress__Output } from '../../cluster/v1/NetworkAddress.js';

/**
 * Endpoint is one healthy task of a service and where its ports are reachable.
 */
export interface Endpoint {
  'taskId'?: (string);
  'nodeId'?: (string);
  /**
   * node_address is the node's address (no port).
   */
  'nodeAddress'?: (string);
  'slot'?: (number);
  /**
   * ports map each target port to the host port of the task's node.
   */
  'ports'?: (_cluster_v1_PortMapping)[];
  /**
   * address is the task's own virtual IPv4 address (from 10.234.0.0/15),
   * for a service with ports: `tasks.NAME` answers it, and every node
   * proxies each target port on it to this task only. Empty otherwise.
   */
  'address'?: (string);
  /**
   * networks are the task's addresses on its overlay networks: `tasks.NAME`
   * answers them, and the service's VIP is balanced to them in the kernel.
   */
  'networks'?: (_cluster_v1_NetworkAddress)[];
}

/**
 * Endpoint is one healthy task of a service and where its ports are reachable.
 */
export interface Endpoint__Output {
  'taskId': (string);
  'nodeId': (string);
  /**
   * node_address is the node's address (no port).
   */
  'nodeAddress': (string);
  'slot': (number);
  /**
   * ports map each target port to the host port of the task's node.
   */
  'ports': (_cluster_v1_PortMapping__Output)[];
  /**
   * address is the task's own virtual IPv4 address (from 10.234.0.0/15),
   * for a service with ports: `tasks.NAME` answers it, and every node
   * proxies each target port on it to this task only. Empty otherwise.
   */
  'address': (string);
  /**
   * networks are the task's addresses on its overlay networks: `tasks.NAME`
   * answers them, and the service's VIP is balanced to them in the kernel.
   */
  'networks': (_cluster_v1_NetworkAddress__Output)[];
}
