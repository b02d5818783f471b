// Original file: proto/cluster/v1/dispatcher.proto


/**
 * EngineStatus tells that the node's container engine stopped or started
 * answering. Sent when it changes; the session and heartbeats go on.
 */
export interface EngineStatus {
  /**
   * error is why the engine does not answer ("" when it answers again).
   */
  'error'?: (string);
}

/**
 * EngineStatus tells that the node's container engine stopped or started
 * answering. Sent when it changes; the session and heartbeats go on.
 */
export interface EngineStatus__Output {
  /**
   * error is why the engine does not answer ("" when it answers again).
   */
  'error': (string);
}
