// Original file: proto/cluster/v1/control.proto


export interface UpdateNodeRequest {
  /**
   * node is a node name or id.
   */
  'node'?: (string);
  /**
   * availability is "active", "pause", "drain", or empty to keep it.
   */
  'availability'?: (string);
  'addLabels'?: ({[key: string]: string});
  'removeLabels'?: (string)[];
}

export interface UpdateNodeRequest__Output {
  /**
   * node is a node name or id.
   */
  'node': (string);
  /**
   * availability is "active", "pause", "drain", or empty to keep it.
   */
  'availability': (string);
  'addLabels': ({[key: string]: string});
  'removeLabels': (string)[];
}
