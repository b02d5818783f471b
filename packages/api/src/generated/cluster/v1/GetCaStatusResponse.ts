// Original file: proto/cluster/v1/control.proto

import type { CaStatus as _cluster_v1_CaStatus, CaStatus__Output as _cluster_v1_CaStatus__Output } from '../../cluster/v1/CaStatus.js';

export interface GetCaStatusResponse {
  'status'?: (_cluster_v1_CaStatus | null);
}

export interface GetCaStatusResponse__Output {
  'status': (_cluster_v1_CaStatus__Output | null);
}
