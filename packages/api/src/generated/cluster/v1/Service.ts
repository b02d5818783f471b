// Original file: proto/cluster/v1/types.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Service is a service as listings show it.
 */
export interface Service {
  'name'?: (string);
  'stack'?: (string);
  /**
   * mode is "replicated" or "global".
   */
  'mode'?: (string);
  'replicas'?: (number);
  'running'?: (number);
  'image'?: (string);
  'specVersion'?: (number | string | Long);
  'specJson'?: (string);
  /**
   * desired is the number of tasks that should run (replicas, or eligible
   * nodes in global mode).
   */
  'desired'?: (number);
  /**
   * converged is true when every desired task runs the current spec.
   */
  'converged'?: (boolean);
  /**
   * error is the latest reason a task of this service could not run.
   */
  'error'?: (string);
  /**
   * left_out says that the orchestrator leaves the service alone (its stored
   * spec is invalid, or its pass failed): error says why; nothing changes
   * until it is deployed again or removed.
   */
  'leftOut'?: (boolean);
}

/**
 * Service is a service as listings show it.
 */
export interface Service__Output {
  'name': (string);
  'stack': (string);
  /**
   * mode is "replicated" or "global".
   */
  'mode': (string);
  'replicas': (number);
  'running': (number);
  'image': (string);
  'specVersion': (number);
  'specJson': (string);
  /**
   * desired is the number of tasks that should run (replicas, or eligible
   * nodes in global mode).
   */
  'desired': (number);
  /**
   * converged is true when every desired task runs the current spec.
   */
  'converged': (boolean);
  /**
   * error is the latest reason a task of this service could not run.
   */
  'error': (string);
  /**
   * left_out says that the orchestrator leaves the service alone (its stored
   * spec is invalid, or its pass failed): error says why; nothing changes
   * until it is deployed again or removed.
   */
  'leftOut': (boolean);
}
