// Original file: proto/cluster/v1/types.proto

import type { Long } from '@grpc/proto-loader';

/**
 * TaskStatus is an agent's observation of one of its tasks.
 */
export interface TaskStatus {
  'taskId'?: (string);
  'state'?: (string);
  'containerId'?: (string);
  'error'?: (string);
  'exitCode'?: (number);
  'health'?: (string);
  'observedAtMs'?: (number | string | Long);
}

/**
 * TaskStatus is an agent's observation of one of its tasks.
 */
export interface TaskStatus__Output {
  'taskId': (string);
  'state': (string);
  'containerId': (string);
  'error': (string);
  'exitCode': (number);
  'health': (string);
  'observedAtMs': (number);
}
