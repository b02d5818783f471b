// Original file: proto/cluster/v1/dispatcher.proto

import type { Endpoint as _cluster_v1_Endpoint, Endpoint__Output as _cluster_v1_Endpoint__Output } from '../../cluster/v1/Endpoint.js';

/**
 * EndpointChanges are the changed endpoints of one service since the
 * previous update, keyed by task id.
 */
export interface EndpointChanges {
  /**
   * service is the full name, `stack_service`.
   */
  'service'?: (string);
  /**
   * upserted are endpoints that are new or whose node or ports changed.
   */
  'upserted'?: (_cluster_v1_Endpoint)[];
  /**
   * removed are task ids of endpoints that no longer serve.
   */
  'removed'?: (string)[];
}

/**
 * EndpointChanges are the changed endpoints of one service since the
 * previous update, keyed by task id.
 */
export interface EndpointChanges__Output {
  /**
   * service is the full name, `stack_service`.
   */
  'service': (string);
  /**
   * upserted are endpoints that are new or whose node or ports changed.
   */
  'upserted': (_cluster_v1_Endpoint__Output)[];
  /**
   * removed are task ids of endpoints that no longer serve.
   */
  'removed': (string)[];
}
