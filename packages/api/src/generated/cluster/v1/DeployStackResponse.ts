// Original file: proto/cluster/v1/control.proto

import type { ServiceChange as _cluster_v1_ServiceChange, ServiceChange__Output as _cluster_v1_ServiceChange__Output } from '../../cluster/v1/ServiceChange.js';

export interface DeployStackResponse {
  'changes'?: (_cluster_v1_ServiceChange)[];
}

export interface DeployStackResponse__Output {
  'changes': (_cluster_v1_ServiceChange__Output)[];
}
