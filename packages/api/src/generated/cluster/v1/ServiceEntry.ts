// Original file: proto/cluster/v1/dispatcher.proto

import type { ServicePort as _cluster_v1_ServicePort, ServicePort__Output as _cluster_v1_ServicePort__Output } from '../../cluster/v1/ServicePort.js';
import type { Endpoint as _cluster_v1_Endpoint, Endpoint__Output as _cluster_v1_Endpoint__Output } from '../../cluster/v1/Endpoint.js';

/**
 * ServiceEntry is one service as the agents' DNS and proxies see it.
 */
export interface ServiceEntry {
  /**
   * name is the full name, `stack_service`.
   */
  'name'?: (string);
  'stack'?: (string);
  /**
   * short_name is the name in the Compose file; DNS answers it inside the stack.
   */
  'shortName'?: (string);
  /**
   * vip is the service's virtual IPv4 address, the same on every node.
   */
  'vip'?: (string);
  /**
   * ports are the ports of the service (target, published, protocol, mode).
   */
  'ports'?: (_cluster_v1_ServicePort)[];
  /**
   * endpoints are the healthy tasks, on nodes that are up, each with its
   * task address; for a service without ports (named only by DNS, no task
   * addresses), one per node.
   */
  'endpoints'?: (_cluster_v1_Endpoint)[];
  /**
   * aliases are extra names DNS answers inside the stack.
   */
  'aliases'?: (string)[];
  /**
   * networks are the external networks the service joins: containers of
   * other stacks on one of them resolve and reach the service too.
   */
  'networks'?: (string)[];
  /**
   * endpoint_mode is "dnsrr" when DNS answers the service's name with its
   * tasks' addresses (Compose `deploy.endpoint_mode`), "" for a VIP.
   */
  'endpointMode'?: (string);
}

/**
 * ServiceEntry is one service as the agents' DNS and proxies see it.
 */
export interface ServiceEntry__Output {
  /**
   * name is the full name, `stack_service`.
   */
  'name': (string);
  'stack': (string);
  /**
   * short_name is the name in the Compose file; DNS answers it inside the stack.
   */
  'shortName': (string);
  /**
   * vip is the service's virtual IPv4 address, the same on every node.
   */
  'vip': (string);
  /**
   * ports are the ports of the service (target, published, protocol, mode).
   */
  'ports': (_cluster_v1_ServicePort__Output)[];
  /**
   * endpoints are the healthy tasks, on nodes that are up, each with its
   * task address; for a service without ports (named only by DNS, no task
   * addresses), one per node.
   */
  'endpoints': (_cluster_v1_Endpoint__Output)[];
  /**
   * aliases are extra names DNS answers inside the stack.
   */
  'aliases': (string)[];
  /**
   * networks are the external networks the service joins: containers of
   * other stacks on one of them resolve and reach the service too.
   */
  'networks': (string)[];
  /**
   * endpoint_mode is "dnsrr" when DNS answers the service's name with its
   * tasks' addresses (Compose `deploy.endpoint_mode`), "" for a VIP.
   */
  'endpointMode': (string);
}
