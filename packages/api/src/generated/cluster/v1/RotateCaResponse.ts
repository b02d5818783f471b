// Original file: proto/cluster/v1/control.proto

import type { CaStatus as _cluster_v1_CaStatus, CaStatus__Output as _cluster_v1_CaStatus__Output } from '../../cluster/v1/CaStatus.js';

export interface RotateCaResponse {
  /**
   * certificate_pem is the caller's new certificate (empty with finish).
   */
  'certificatePem'?: (string);
  /**
   * ca_pem is the new CA certificate: the one the manager's certificate chains to.
   */
  'caPem'?: (string);
  'status'?: (_cluster_v1_CaStatus | null);
}

export interface RotateCaResponse__Output {
  /**
   * certificate_pem is the caller's new certificate (empty with finish).
   */
  'certificatePem': (string);
  /**
   * ca_pem is the new CA certificate: the one the manager's certificate chains to.
   */
  'caPem': (string);
  'status': (_cluster_v1_CaStatus__Output | null);
}
