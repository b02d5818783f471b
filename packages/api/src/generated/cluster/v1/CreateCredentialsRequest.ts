// Original file: proto/cluster/v1/control.proto

import type { Long } from '@grpc/proto-loader';

export interface CreateCredentialsRequest {
  'name'?: (string);
  'csrPem'?: (string);
  /**
   * ttl_ms is the certificate's lifetime; 0 means the default (365 days).
   */
  'ttlMs'?: (number | string | Long);
}

export interface CreateCredentialsRequest__Output {
  'name': (string);
  'csrPem': (string);
  /**
   * ttl_ms is the certificate's lifetime; 0 means the default (365 days).
   */
  'ttlMs': (number);
}
