// Original file: proto/cluster/v1/types.proto


/**
 * PortMapping says on which host port of a node a task's target port answers.
 */
export interface PortMapping {
  'target'?: (number);
  /**
   * protocol is "tcp" or "udp".
   */
  'protocol'?: (string);
  'hostPort'?: (number);
}

/**
 * PortMapping says on which host port of a node a task's target port answers.
 */
export interface PortMapping__Output {
  'target': (number);
  /**
   * protocol is "tcp" or "udp".
   */
  'protocol': (string);
  'hostPort': (number);
}
