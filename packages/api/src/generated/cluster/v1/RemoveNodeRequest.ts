// Original file: proto/cluster/v1/control.proto


export interface RemoveNodeRequest {
  /**
   * node is a node name or id.
   */
  'node'?: (string);
}

export interface RemoveNodeRequest__Output {
  /**
   * node is a node name or id.
   */
  'node': (string);
}
