// Original file: proto/cluster/v1/control.proto

import type { SecretInfo as _cluster_v1_SecretInfo, SecretInfo__Output as _cluster_v1_SecretInfo__Output } from '../../cluster/v1/SecretInfo.js';

export interface CreateSecretResponse {
  'secret'?: (_cluster_v1_SecretInfo | null);
}

export interface CreateSecretResponse__Output {
  'secret': (_cluster_v1_SecretInfo__Output | null);
}
