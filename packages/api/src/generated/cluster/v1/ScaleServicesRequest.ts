// Original file: proto/cluster/v1/control.proto

import type { ScaleTarget as _cluster_v1_ScaleTarget, ScaleTarget__Output as _cluster_v1_ScaleTarget__Output } from '../../cluster/v1/ScaleTarget.js';

export interface ScaleServicesRequest {
  'targets'?: (_cluster_v1_ScaleTarget)[];
  /**
   * stack resolves short service names; empty means the only stack that has one.
   */
  'stack'?: (string);
}

export interface ScaleServicesRequest__Output {
  'targets': (_cluster_v1_ScaleTarget__Output)[];
  /**
   * stack resolves short service names; empty means the only stack that has one.
   */
  'stack': (string);
}
