// Original file: proto/cluster/v1/control.proto

import type { Long } from '@grpc/proto-loader';

/**
 * SecretInfo is what may be shown of a secret or config: never its content.
 */
export interface SecretInfo {
  'kind'?: (string);
  'name'?: (string);
  'bytes'?: (number | string | Long);
  'createdAtMs'?: (number | string | Long);
  /**
   * used_by are the services (`stack_service`) whose spec refers to it.
   */
  'usedBy'?: (string)[];
}

/**
 * SecretInfo is what may be shown of a secret or config: never its content.
 */
export interface SecretInfo__Output {
  'kind': (string);
  'name': (string);
  'bytes': (number);
  'createdAtMs': (number);
  /**
   * used_by are the services (`stack_service`) whose spec refers to it.
   */
  'usedBy': (string)[];
}
