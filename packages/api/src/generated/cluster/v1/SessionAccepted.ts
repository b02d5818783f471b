// Original file: proto/cluster/v1/dispatcher.proto


export interface SessionAccepted {
  'nodeId'?: (string);
  'heartbeatPeriodMs'?: (number);
  /**
   * overlay_index is the node's index in the overlay (1..254): its
   * containers take their addresses from the /24 of that number in every
   * network's subnet. 0 when every index is held (no overlay for the node).
   */
  'overlayIndex'?: (number);
}

export interface SessionAccepted__Output {
  'nodeId': (string);
  'heartbeatPeriodMs': (number);
  /**
   * overlay_index is the node's index in the overlay (1..254): its
   * containers take their addresses from the /24 of that number in every
   * network's subnet. 0 when every index is held (no overlay for the node).
   */
  'overlayIndex': (number);
}
