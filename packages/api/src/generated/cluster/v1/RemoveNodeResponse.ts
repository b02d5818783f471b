// Original file: proto/cluster/v1/control.proto

import type { Node as _cluster_v1_Node, Node__Output as _cluster_v1_Node__Output } from '../../cluster/v1/Node.js';

export interface RemoveNodeResponse {
  'node'?: (_cluster_v1_Node | null);
}

export interface RemoveNodeResponse__Output {
  'node': (_cluster_v1_Node__Output | null);
}
