// Original file: proto/cluster/v1/dispatcher.proto


/**
 * DataDirStatus tells that the agent's data dir stopped or started taking
 * writes. Sent when it changes; the session, heartbeats and tasks go on.
 */
export interface DataDirStatus {
  /**
   * error is why the data dir cannot be written ("" when it can again).
   */
  'error'?: (string);
}

/**
 * DataDirStatus tells that the agent's data dir stopped or started taking
 * writes. Sent when it changes; the session, heartbeats and tasks go on.
 */
export interface DataDirStatus__Output {
  /**
   * error is why the data dir cannot be written ("" when it can again).
   */
  'error': (string);
}
