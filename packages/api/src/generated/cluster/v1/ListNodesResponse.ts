// Original file: proto/cluster/v1/control.proto

import type { Node as _cluster_v1_Node, Node__Output as _cluster_v1_Node__Output } from '../../cluster/v1/Node.js';

export interface ListNodesResponse {
  'nodes'?: (_cluster_v1_Node)[];
}

export interface ListNodesResponse__Output {
  'nodes': (_cluster_v1_Node__Output)[];
}
