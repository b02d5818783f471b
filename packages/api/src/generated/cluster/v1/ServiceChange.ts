// Original file: proto/cluster/v1/control.proto

import type { Long } from '@grpc/proto-loader';

export interface ServiceChange {
  'service'?: (string);
  /**
   * action is "create", "update", "scale" (replicas only), "restart" (a
   * depends_on dependent of an updated service), "remove" or "unchanged"
   * (core deployDiff).
   */
  'action'?: (string);
  'specVersion'?: (number | string | Long);
}

export interface ServiceChange__Output {
  'service': (string);
  /**
   * action is "create", "update", "scale" (replicas only), "restart" (a
   * depends_on dependent of an updated service), "remove" or "unchanged"
   * (core deployDiff).
   */
  'action': (string);
  'specVersion': (number);
}
