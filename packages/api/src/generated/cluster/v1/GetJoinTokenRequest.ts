// Original file: proto/cluster/v1/control.proto

import type { Long } from '@grpc/proto-loader';

export interface GetJoinTokenRequest {
  /**
   * role is "worker" or "manager".
   */
  'role'?: (string);
  /**
   * ttl_ms is the token's lifetime; 0 means the manager's default (24 h).
   */
  'ttlMs'?: (number | string | Long);
  /**
   * single_use tokens are refused after their first successful join.
   */
  'singleUse'?: (boolean);
  /**
   * labels are the node labels a node joining with this token may ask for
   * (`cluster join --label k=v`); a label the token does not allow is
   * refused at join (an admin adds it with `cluster node label add`).
   */
  'labels'?: ({[key: string]: string});
}

export interface GetJoinTokenRequest__Output {
  /**
   * role is "worker" or "manager".
   */
  'role': (string);
  /**
   * ttl_ms is the token's lifetime; 0 means the manager's default (24 h).
   */
  'ttlMs': (number);
  /**
   * single_use tokens are refused after their first successful join.
   */
  'singleUse': (boolean);
  /**
   * labels are the node labels a node joining with this token may ask for
   * (`cluster join --label k=v`); a label the token does not allow is
   * refused at join (an admin adds it with `cluster node label add`).
   */
  'labels': ({[key: string]: string});
}
