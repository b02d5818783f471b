import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentMessage as _cluster_v1_AgentMessage, AgentMessage__Output as _cluster_v1_AgentMessage__Output } from './cluster/v1/AgentMessage.js';
import type { AssignmentSet as _cluster_v1_AssignmentSet, AssignmentSet__Output as _cluster_v1_AssignmentSet__Output } from './cluster/v1/AssignmentSet.js';
import type { CaUpdate as _cluster_v1_CaUpdate, CaUpdate__Output as _cluster_v1_CaUpdate__Output } from './cluster/v1/CaUpdate.js';
import type { DataDirStatus as _cluster_v1_DataDirStatus, DataDirStatus__Output as _cluster_v1_DataDirStatus__Output } from './cluster/v1/DataDirStatus.js';
import type { DependencyWait as _cluster_v1_DependencyWait, DependencyWait__Output as _cluster_v1_DependencyWait__Output } from './cluster/v1/DependencyWait.js';
import type { DispatcherClient as _cluster_v1_DispatcherClient, DispatcherDefinition as _cluster_v1_DispatcherDefinition } from './cluster/v1/Dispatcher.js';
import type { Endpoint as _cluster_v1_Endpoint, Endpoint__Output as _cluster_v1_Endpoint__Output } from './cluster/v1/Endpoint.js';
import type { EndpointChanges as _cluster_v1_EndpointChanges, EndpointChanges__Output as _cluster_v1_EndpointChanges__Output } from './cluster/v1/EndpointChanges.js';
import type { EngineStatus as _cluster_v1_EngineStatus, EngineStatus__Output as _cluster_v1_EngineStatus__Output } from './cluster/v1/EngineStatus.js';
import type { FetchImageRequest as _cluster_v1_FetchImageRequest, FetchImageRequest__Output as _cluster_v1_FetchImageRequest__Output } from './cluster/v1/FetchImageRequest.js';
import type { Heartbeat as _cluster_v1_Heartbeat, Heartbeat__Output as _cluster_v1_Heartbeat__Output } from './cluster/v1/Heartbeat.js';
import type { ImageChunk as _cluster_v1_ImageChunk, ImageChunk__Output as _cluster_v1_ImageChunk__Output } from './cluster/v1/ImageChunk.js';
import type { JoinRequest as _cluster_v1_JoinRequest, JoinRequest__Output as _cluster_v1_JoinRequest__Output } from './cluster/v1/JoinRequest.js';
import type { JoinResponse as _cluster_v1_JoinResponse, JoinResponse__Output as _cluster_v1_JoinResponse__Output } from './cluster/v1/JoinResponse.js';
import type { ManagerMessage as _cluster_v1_ManagerMessage, ManagerMessage__Output as _cluster_v1_ManagerMessage__Output } from './cluster/v1/ManagerMessage.js';
import type { NetworkAddress as _cluster_v1_NetworkAddress, NetworkAddress__Output as _cluster_v1_NetworkAddress__Output } from './cluster/v1/NetworkAddress.js';
import type { Node as _cluster_v1_Node, Node__Output as _cluster_v1_Node__Output } from './cluster/v1/Node.js';
import type { NodeAddresses as _cluster_v1_NodeAddresses, NodeAddresses__Output as _cluster_v1_NodeAddresses__Output } from './cluster/v1/NodeAddresses.js';
import type { NodeRefusalCount as _cluster_v1_NodeRefusalCount, NodeRefusalCount__Output as _cluster_v1_NodeRefusalCount__Output } from './cluster/v1/NodeRefusalCount.js';
import type { OverlayPeer as _cluster_v1_OverlayPeer, OverlayPeer__Output as _cluster_v1_OverlayPeer__Output } from './cluster/v1/OverlayPeer.js';
import type { PortMapping as _cluster_v1_PortMapping, PortMapping__Output as _cluster_v1_PortMapping__Output } from './cluster/v1/PortMapping.js';
import type { RegistryUpdate as _cluster_v1_RegistryUpdate, RegistryUpdate__Output as _cluster_v1_RegistryUpdate__Output } from './cluster/v1/RegistryUpdate.js';
import type { RenewCertificateRequest as _cluster_v1_RenewCertificateRequest, RenewCertificateRequest__Output as _cluster_v1_RenewCertificateRequest__Output } from './cluster/v1/RenewCertificateRequest.js';
import type { RenewCertificateResponse as _cluster_v1_RenewCertificateResponse, RenewCertificateResponse__Output as _cluster_v1_RenewCertificateResponse__Output } from './cluster/v1/RenewCertificateResponse.js';
import type { Service as _cluster_v1_Service, Service__Output as _cluster_v1_Service__Output } from './cluster/v1/Service.js';
import type { ServiceEntry as _cluster_v1_ServiceEntry, ServiceEntry__Output as _cluster_v1_ServiceEntry__Output } from './cluster/v1/ServiceEntry.js';
import type { ServicePort as _cluster_v1_ServicePort, ServicePort__Output as _cluster_v1_ServicePort__Output } from './cluster/v1/ServicePort.js';
import type { ServiceVersionSpec as _cluster_v1_ServiceVersionSpec, ServiceVersionSpec__Output as _cluster_v1_ServiceVersionSpec__Output } from './cluster/v1/ServiceVersionSpec.js';
import type { SessionAccepted as _cluster_v1_SessionAccepted, SessionAccepted__Output as _cluster_v1_SessionAccepted__Output } from './cluster/v1/SessionAccepted.js';
import type { SessionHello as _cluster_v1_SessionHello, SessionHello__Output as _cluster_v1_SessionHello__Output } from './cluster/v1/SessionHello.js';
import type { StatusBatch as _cluster_v1_StatusBatch, StatusBatch__Output as _cluster_v1_StatusBatch__Output } from './cluster/v1/StatusBatch.js';
import type { Task as _cluster_v1_Task, Task__Output as _cluster_v1_Task__Output } from './cluster/v1/Task.js';
import type { TaskReason as _cluster_v1_TaskReason, TaskReason__Output as _cluster_v1_TaskReason__Output } from './cluster/v1/TaskReason.js';
import type { TaskStatus as _cluster_v1_TaskStatus, TaskStatus__Output as _cluster_v1_TaskStatus__Output } from './cluster/v1/TaskStatus.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  cluster: {
    v1: {
      AgentMessage: MessageTypeDefinition<_cluster_v1_AgentMessage, _cluster_v1_AgentMessage__Output>
      AssignmentSet: MessageTypeDefinition<_cluster_v1_AssignmentSet, _cluster_v1_AssignmentSet__Output>
      CaUpdate: MessageTypeDefinition<_cluster_v1_CaUpdate, _cluster_v1_CaUpdate__Output>
      DataDirStatus: MessageTypeDefinition<_cluster_v1_DataDirStatus, _cluster_v1_DataDirStatus__Output>
      DependencyWait: MessageTypeDefinition<_cluster_v1_DependencyWait, _cluster_v1_DependencyWait__Output>
      /**
       * Dispatcher is the API agents call. The manager never dials an agent.
       */
      Dispatcher: SubtypeConstructor<typeof grpc.Client, _cluster_v1_DispatcherClient> & { service: _cluster_v1_DispatcherDefinition }
      Endpoint: MessageTypeDefinition<_cluster_v1_Endpoint, _cluster_v1_Endpoint__Output>
      EndpointChanges: MessageTypeDefinition<_cluster_v1_EndpointChanges, _cluster_v1_EndpointChanges__Output>
      EngineStatus: MessageTypeDefinition<_cluster_v1_EngineStatus, _cluster_v1_EngineStatus__Output>
      FetchImageRequest: MessageTypeDefinition<_cluster_v1_FetchImageRequest, _cluster_v1_FetchImageRequest__Output>
      Heartbeat: MessageTypeDefinition<_cluster_v1_Heartbeat, _cluster_v1_Heartbeat__Output>
      ImageChunk: MessageTypeDefinition<_cluster_v1_ImageChunk, _cluster_v1_ImageChunk__Output>
      JoinRequest: MessageTypeDefinition<_cluster_v1_JoinRequest, _cluster_v1_JoinRequest__Output>
      JoinResponse: MessageTypeDefinition<_cluster_v1_JoinResponse, _cluster_v1_JoinResponse__Output>
      ManagerMessage: MessageTypeDefinition<_cluster_v1_ManagerMessage, _cluster_v1_ManagerMessage__Output>
      NetworkAddress: MessageTypeDefinition<_cluster_v1_NetworkAddress, _cluster_v1_NetworkAddress__Output>
      Node: MessageTypeDefinition<_cluster_v1_Node, _cluster_v1_Node__Output>
      NodeAddresses: MessageTypeDefinition<_cluster_v1_NodeAddresses, _cluster_v1_NodeAddresses__Output>
      NodeRefusalCount: MessageTypeDefinition<_cluster_v1_NodeRefusalCount, _cluster_v1_NodeRefusalCount__Output>
      OverlayPeer: MessageTypeDefinition<_cluster_v1_OverlayPeer, _cluster_v1_OverlayPeer__Output>
      PortMapping: MessageTypeDefinition<_cluster_v1_PortMapping, _cluster_v1_PortMapping__Output>
      RegistryUpdate: MessageTypeDefinition<_cluster_v1_RegistryUpdate, _cluster_v1_RegistryUpdate__Output>
      RenewCertificateRequest: MessageTypeDefinition<_cluster_v1_RenewCertificateRequest, _cluster_v1_RenewCertificateRequest__Output>
      RenewCertificateResponse: MessageTypeDefinition<_cluster_v1_RenewCertificateResponse, _cluster_v1_RenewCertificateResponse__Output>
      Service: MessageTypeDefinition<_cluster_v1_Service, _cluster_v1_Service__Output>
      ServiceEntry: MessageTypeDefinition<_cluster_v1_ServiceEntry, _cluster_v1_ServiceEntry__Output>
      ServicePort: MessageTypeDefinition<_cluster_v1_ServicePort, _cluster_v1_ServicePort__Output>
      ServiceVersionSpec: MessageTypeDefinition<_cluster_v1_ServiceVersionSpec, _cluster_v1_ServiceVersionSpec__Output>
      SessionAccepted: MessageTypeDefinition<_cluster_v1_SessionAccepted, _cluster_v1_SessionAccepted__Output>
      SessionHello: MessageTypeDefinition<_cluster_v1_SessionHello, _cluster_v1_SessionHello__Output>
      StatusBatch: MessageTypeDefinition<_cluster_v1_StatusBatch, _cluster_v1_StatusBatch__Output>
      Task: MessageTypeDefinition<_cluster_v1_Task, _cluster_v1_Task__Output>
      TaskReason: MessageTypeDefinition<_cluster_v1_TaskReason, _cluster_v1_TaskReason__Output>
      TaskStatus: MessageTypeDefinition<_cluster_v1_TaskStatus, _cluster_v1_TaskStatus__Output>
    }
  }
}

