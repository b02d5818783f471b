// Original file: proto/cluster/v1/control.proto


export interface ScaleTarget {
  /**
   * service is `web` (with stack set) or `stack_web`.
   */
  'service'?: (string);
  'replicas'?: (number);
}

export interface ScaleTarget__Output {
  /**
   * service is `web` (with stack set) or `stack_web`.
   */
  'service': (string);
  'replicas': (number);
}
