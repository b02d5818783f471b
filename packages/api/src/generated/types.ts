import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { DependencyWait as _cluster_v1_DependencyWait, DependencyWait__Output as _cluster_v1_DependencyWait__Output } from './cluster/v1/DependencyWait.js';
import type { ImageChunk as _cluster_v1_ImageChunk, ImageChunk__Output as _cluster_v1_ImageChunk__Output } from './cluster/v1/ImageChunk.js';
import type { NetworkAddress as _cluster_v1_NetworkAddress, NetworkAddress__Output as _cluster_v1_NetworkAddress__Output } from './cluster/v1/NetworkAddress.js';
import type { Node as _cluster_v1_Node, Node__Output as _cluster_v1_Node__Output } from './cluster/v1/Node.js';
import type { NodeRefusalCount as _cluster_v1_NodeRefusalCount, NodeRefusalCount__Output as _cluster_v1_NodeRefusalCount__Output } from './cluster/v1/NodeRefusalCount.js';
import type { PortMapping as _cluster_v1_PortMapping, PortMapping__Output as _cluster_v1_PortMapping__Output } from './cluster/v1/PortMapping.js';
import type { Service as _cluster_v1_Service, Service__Output as _cluster_v1_Service__Output } from './cluster/v1/Service.js';
import type { Task as _cluster_v1_Task, Task__Output as _cluster_v1_Task__Output } from './cluster/v1/Task.js';
import type { TaskReason as _cluster_v1_TaskReason, TaskReason__Output as _cluster_v1_TaskReason__Output } from './cluster/v1/TaskReason.js';
import type { TaskStatus as _cluster_v1_TaskStatus, TaskStatus__Output as _cluster_v1_TaskStatus__Output } from './cluster/v1/TaskStatus.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  cluster: {
    v1: {
      DependencyWait: MessageTypeDefinition<_cluster_v1_DependencyWait, _cluster_v1_DependencyWait__Output>
      ImageChunk: MessageTypeDefinition<_cluster_v1_ImageChunk, _cluster_v1_ImageChunk__Output>
      NetworkAddress: MessageTypeDefinition<_cluster_v1_NetworkAddress, _cluster_v1_NetworkAddress__Output>
      Node: MessageTypeDefinition<_cluster_v1_Node, _cluster_v1_Node__Output>
      NodeRefusalCount: MessageTypeDefinition<_cluster_v1_NodeRefusalCount, _cluster_v1_NodeRefusalCount__Output>
      PortMapping: MessageTypeDefinition<_cluster_v1_PortMapping, _cluster_v1_PortMapping__Output>
      Service: MessageTypeDefinition<_cluster_v1_Service, _cluster_v1_Service__Output>
      Task: MessageTypeDefinition<_cluster_v1_Task, _cluster_v1_Task__Output>
      TaskReason: MessageTypeDefinition<_cluster_v1_TaskReason, _cluster_v1_TaskReason__Output>
      TaskStatus: MessageTypeDefinition<_cluster_v1_TaskStatus, _cluster_v1_TaskStatus__Output>
    }
  }
}

