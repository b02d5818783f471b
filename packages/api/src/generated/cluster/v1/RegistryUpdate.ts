// Original file: proto/cluster/v1/dispatcher.proto

import type { ServiceEntry as _cluster_v1_ServiceEntry, ServiceEntry__Output as _cluster_v1_ServiceEntry__Output } from '../../cluster/v1/ServiceEntry.js';
import type { EndpointChanges as _cluster_v1_EndpointChanges, EndpointChanges__Output as _cluster_v1_EndpointChanges__Output } from '../../cluster/v1/EndpointChanges.js';
import type { OverlayPeer as _cluster_v1_OverlayPeer, OverlayPeer__Output as _cluster_v1_OverlayPeer__Output } from '../../cluster/v1/OverlayPeer.js';
import type { NodeAddresses as _cluster_v1_NodeAddresses, NodeAddresses__Output as _cluster_v1_NodeAddresses__Output } from '../../cluster/v1/NodeAddresses.js';

// Original file: proto/cluster/v1/dispatcher.proto

export const _cluster_v1_RegistryUpdate_Type = {
  FULL: 'FULL',
  INCREMENTAL: 'INCREMENTAL',
} as const;

export type _cluster_v1_RegistryUpdate_Type =
  | 'FULL'
  | 0
  | 'INCREMENTAL'
  | 1

export type _cluster_v1_RegistryUpdate_Type__Output = typeof _cluster_v1_RegistryUpdate_Type[keyof typeof _cluster_v1_RegistryUpdate_Type]

/**
 * RegistryUpdate is the service registry, or a change of it. Every node gets
 * every service: the agent itself keeps the stacks apart.
 */
export interface RegistryUpdate {
  'type'?: (_cluster_v1_RegistryUpdate_Type);
  /**
   * services are added services and ones whose name, VIP, ports, aliases or
   * networks changed, whole (all of them, for FULL).
   */
  'services'?: (_cluster_v1_ServiceEntry)[];
  /**
   * removed are full names of services that are gone.
   */
  'removed'?: (string)[];
  /**
   * endpoint_changes are, in an INCREMENTAL update, the endpoint changes of
   * services whose other fields did not change (a service in services comes
   * whole instead). The view after it is the one before with them applied.
   */
  'endpointChanges'?: (_cluster_v1_EndpointChanges)[];
  /**
   * peers are task containers reachable over the overlay (every task whose
   * container runs, serving or not), new or changed (all of them, for FULL).
   */
  'peers'?: (_cluster_v1_OverlayPeer)[];
  /**
   * removed_peers are task ids of peers that are gone.
   */
  'removedPeers'?: (string)[];
  /**
   * node_addresses, when set, are the addresses of every node of the
   * cluster (the only sources the VXLAN port accepts); unset means unchanged.
   */
  'nodeAddresses'?: (_cluster_v1_NodeAddresses | null);
}

/**
 * RegistryUpdate is the service registry, or a change of it. Every node gets
 * every service: the agent itself keeps the stacks apart.
 */
export interface RegistryUpdate__Output {
  'type': (_cluster_v1_RegistryUpdate_Type__Output);
  /**
   * services are added services and ones whose name, VIP, ports, aliases or
   * networks changed, whole (all of them, for FULL).
   */
  'services': (_cluster_v1_ServiceEntry__Output)[];
  /**
   * removed are full names of services that are gone.
   */
  'removed': (string)[];
  /**
   * endpoint_changes are, in an INCREMENTAL update, the endpoint changes of
   * services whose other fields did not change (a service in services comes
   * whole instead). The view after it is the one before with them applied.
   */
  'endpointChanges': (_cluster_v1_EndpointChanges__Output)[];
  /**
   * peers are task containers reachable over the overlay (every task whose
   * container runs, serving or not), new or changed (all of them, for FULL).
   */
  'peers': (_cluster_v1_OverlayPeer__Output)[];
  /**
   * removed_peers are task ids of peers that are gone.
   */
  'removedPeers': (string)[];
  /**
   * node_addresses, when set, are the addresses of every node of the
   * cluster (the only sources the VXLAN port accepts); unset means unchanged.
   */
  'nodeAddresses': (_cluster_v1_NodeAddresses__Output | null);
}
