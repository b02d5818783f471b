// Original file: proto/cluster/v1/dispatcher.proto

import type { NetworkAddress as _cluster_v1_NetworkAddress, NetworkAddress__Output as _cluster_v1_NetworkAddress__Output } from '../../cluster/v1/NetworkAddress.js';

/**
 * OverlayPeer is a task container and the node it runs on: the agents of
 * other nodes program their VXLAN devices to reach its addresses there.
 */
export interface OverlayPeer {
  'taskId'?: (string);
  /**
   * node_address is the address of the task's node (the tunnel's far end).
   */
  'nodeAddress'?: (string);
  'networks'?: (_cluster_v1_NetworkAddress)[];
}

/**
 * OverlayPeer is a task container and the node it runs on: the agents of
 * other nodes program their VXLAN devices to reach its addresses there.
 */
export interface OverlayPeer__Output {
  'taskId': (string);
  /**
   * node_address is the address of the task's node (the tunnel's far end).
   */
  'nodeAddress': (string);
  'networks': (_cluster_v1_NetworkAddress__Output)[];
}
