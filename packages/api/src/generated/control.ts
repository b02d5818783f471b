import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CaStatus as _cluster_v1_CaStatus, CaStatus__Output as _cluster_v1_CaStatus__Output } from './cluster/v1/CaStatus.js';
import type { ControlClient as _cluster_v1_ControlClient, ControlDefinition as _cluster_v1_ControlDefinition } from './cluster/v1/Control.js';
import type { CreateCredentialsRequest as _cluster_v1_CreateCredentialsRequest, CreateCredentialsRequest__Output as _cluster_v1_CreateCredentialsRequest__Output } from './cluster/v1/CreateCredentialsRequest.js';
import type { CreateCredentialsResponse as _cluster_v1_CreateCredentialsResponse, CreateCredentialsResponse__Output as _cluster_v1_CreateCredentialsResponse__Output } from './cluster/v1/CreateCredentialsResponse.js';
import type { CreateSecretRequest as _cluster_v1_CreateSecretRequest, CreateSecretRequest__Output as _cluster_v1_CreateSecretRequest__Output } from './cluster/v1/CreateSecretRequest.js';
import type { CreateSecretResponse as _cluster_v1_CreateSecretResponse, CreateSecretResponse__Output as _cluster_v1_CreateSecretResponse__Output } from './cluster/v1/CreateSecretResponse.js';
import type { DependencyWait as _cluster_v1_DependencyWait, DependencyWait__Output as _cluster_v1_DependencyWait__Output } from './cluster/v1/DependencyWait.js';
import type { DeployStackRequest as _cluster_v1_DeployStackRequest, DeployStackRequest__Output as _cluster_v1_DeployStackRequest__Output } from './cluster/v1/DeployStackRequest.js';
import type { DeployStackResponse as _cluster_v1_DeployStackResponse, DeployStackResponse__Output as _cluster_v1_DeployStackResponse__Output } from './cluster/v1/DeployStackResponse.js';
import type { GetCaStatusRequest as _cluster_v1_GetCaStatusRequest, GetCaStatusRequest__Output as _cluster_v1_GetCaStatusRequest__Output } from './cluster/v1/GetCaStatusRequest.js';
import type { GetCaStatusResponse as _cluster_v1_GetCaStatusResponse, GetCaStatusResponse__Output as _cluster_v1_GetCaStatusResponse__Output } from './cluster/v1/GetCaStatusResponse.js';
import type { GetJoinTokenRequest as _cluster_v1_GetJoinTokenRequest, GetJoinTokenRequest__Output as _cluster_v1_GetJoinTokenRequest__Output } from './cluster/v1/GetJoinTokenRequest.js';
import type { GetJoinTokenResponse as _cluster_v1_GetJoinTokenResponse, GetJoinTokenResponse__Output as _cluster_v1_GetJoinTokenResponse__Output } from './cluster/v1/GetJoinTokenResponse.js';
import type { HasImageRequest as _cluster_v1_HasImageRequest, HasImageRequest__Output as _cluster_v1_HasImageRequest__Output } from './cluster/v1/HasImageRequest.js';
import type { HasImageResponse as _cluster_v1_HasImageResponse, HasImageResponse__Output as _cluster_v1_HasImageResponse__Output } from './cluster/v1/HasImageResponse.js';
import type { ImageChunk as _cluster_v1_ImageChunk, ImageChunk__Output as _cluster_v1_ImageChunk__Output } from './cluster/v1/ImageChunk.js';
import type { ListNodesRequest as _cluster_v1_ListNodesRequest, ListNodesRequest__Output as _cluster_v1_ListNodesRequest__Output } from './cluster/v1/ListNodesRequest.js';
import type { ListNodesResponse as _cluster_v1_ListNodesResponse, ListNodesResponse__Output as _cluster_v1_ListNodesResponse__Output } from './cluster/v1/ListNodesResponse.js';
import type { ListSecretsRequest as _cluster_v1_ListSecretsRequest, ListSecretsRequest__Output as _cluster_v1_ListSecretsRequest__Output } from './cluster/v1/ListSecretsRequest.js';
import type { ListSecretsResponse as _cluster_v1_ListSecretsResponse, ListSecretsResponse__Output as _cluster_v1_ListSecretsResponse__Output } from './cluster/v1/ListSecretsResponse.js';
import type { ListServicesRequest as _cluster_v1_ListServicesRequest, ListServicesRequest__Output as _cluster_v1_ListServicesRequest__Output } from './cluster/v1/ListServicesRequest.js';
import type { ListServicesResponse as _cluster_v1_ListServicesResponse, ListServicesResponse__Output as _cluster_v1_ListServicesResponse__Output } from './cluster/v1/ListServicesResponse.js';
import type { ListTasksRequest as _cluster_v1_ListTasksRequest, ListTasksRequest__Output as _cluster_v1_ListTasksRequest__Output } from './cluster/v1/ListTasksRequest.js';
import type { ListTasksResponse as _cluster_v1_ListTasksResponse, ListTasksResponse__Output as _cluster_v1_ListTasksResponse__Output } from './cluster/v1/ListTasksResponse.js';
import type { NetworkAddress as _cluster_v1_NetworkAddress, NetworkAddress__Output as _cluster_v1_NetworkAddress__Output } from './cluster/v1/NetworkAddress.js';
import type { Node as _cluster_v1_Node, Node__Output as _cluster_v1_Node__Output } from './cluster/v1/Node.js';
import type { NodeRefusalCount as _cluster_v1_NodeRefusalCount, NodeRefusalCount__Output as _cluster_v1_NodeRefusalCount__Output } from './cluster/v1/NodeRefusalCount.js';
import type { PortMapping as _cluster_v1_PortMapping, PortMapping__Output as _cluster_v1_PortMapping__Output } from './cluster/v1/PortMapping.js';
import type { PushImageResponse as _cluster_v1_PushImageResponse, PushImageResponse__Output as _cluster_v1_PushImageResponse__Output } from './cluster/v1/PushImageResponse.js';
import type { RemoveNodeRequest as _cluster_v1_RemoveNodeRequest, RemoveNodeRequest__Output as _cluster_v1_RemoveNodeRequest__Output } from './cluster/v1/RemoveNodeRequest.js';
import type { RemoveNodeResponse as _cluster_v1_RemoveNodeResponse, RemoveNodeResponse__Output as _cluster_v1_RemoveNodeResponse__Output } from './cluster/v1/RemoveNodeResponse.js';
import type { RemoveSecretRequest as _cluster_v1_RemoveSecretRequest, RemoveSecretRequest__Output as _cluster_v1_RemoveSecretRequest__Output } from './cluster/v1/RemoveSecretRequest.js';
import type { RemoveSecretResponse as _cluster_v1_RemoveSecretResponse, RemoveSecretResponse__Output as _cluster_v1_RemoveSecretResponse__Output } from './cluster/v1/RemoveSecretResponse.js';
import type { RemoveStackRequest as _cluster_v1_RemoveStackRequest, RemoveStackRequest__Output as _cluster_v1_RemoveStackRequest__Output } from './cluster/v1/RemoveStackRequest.js';
import type { RemoveStackResponse as _cluster_v1_RemoveStackResponse, RemoveStackResponse__Output as _cluster_v1_RemoveStackResponse__Output } from './cluster/v1/RemoveStackResponse.js';
import type { RevokeCredentialsRequest as _cluster_v1_RevokeCredentialsRequest, RevokeCredentialsRequest__Output as _cluster_v1_RevokeCredentialsRequest__Output } from './cluster/v1/RevokeCredentialsRequest.js';
import type { RevokeCredentialsResponse as _cluster_v1_RevokeCredentialsResponse, RevokeCredentialsResponse__Output as _cluster_v1_RevokeCredentialsResponse__Output } from './cluster/v1/RevokeCredentialsResponse.js';
import type { RotateCaRequest as _cluster_v1_RotateCaRequest, RotateCaRequest__Output as _cluster_v1_RotateCaRequest__Output } from './cluster/v1/RotateCaRequest.js';
import type { RotateCaResponse as _cluster_v1_RotateCaResponse, RotateCaResponse__Output as _cluster_v1_RotateCaResponse__Output } from './cluster/v1/RotateCaResponse.js';
import type { RotateJoinTokenRequest as _cluster_v1_RotateJoinTokenRequest, RotateJoinTokenRequest__Output as _cluster_v1_RotateJoinTokenRequest__Output } from './cluster/v1/RotateJoinTokenRequest.js';
import type { RotateJoinTokenResponse as _cluster_v1_RotateJoinTokenResponse, RotateJoinTokenResponse__Output as _cluster_v1_RotateJoinTokenResponse__Output } from './cluster/v1/RotateJoinTokenResponse.js';
import type { ScaleServicesRequest as _cluster_v1_ScaleServicesRequest, ScaleServicesRequest__Output as _cluster_v1_ScaleServicesRequest__Output } from './cluster/v1/ScaleServicesRequest.js';
import type { ScaleServicesResponse as _cluster_v1_ScaleServicesResponse, ScaleServicesResponse__Output as _cluster_v1_ScaleServicesResponse__Output } from './cluster/v1/ScaleServicesResponse.js';
import type { ScaleTarget as _cluster_v1_ScaleTarget, ScaleTarget__Output as _cluster_v1_ScaleTarget__Output } from './cluster/v1/ScaleTarget.js';
import type { SecretInfo as _cluster_v1_SecretInfo, SecretInfo__Output as _cluster_v1_SecretInfo__Output } from './cluster/v1/SecretInfo.js';
import type { Service as _cluster_v1_Service, Service__Output as _cluster_v1_Service__Output } from './cluster/v1/Service.js';
import type { ServiceChange as _cluster_v1_ServiceChange, ServiceChange__Output as _cluster_v1_ServiceChange__Output } from './cluster/v1/ServiceChange.js';
import type { Task as _cluster_v1_Task, Task__Output as _cluster_v1_Task__Output } from './cluster/v1/Task.js';
import type { TaskReason as _cluster_v1_TaskReason, TaskReason__Output as _cluster_v1_TaskReason__Output } from './cluster/v1/TaskReason.js';
import type { TaskStatus as _cluster_v1_TaskStatus, TaskStatus__Output as _cluster_v1_TaskStatus__Output } from './cluster/v1/TaskStatus.js';
import type { UpdateNodeRequest as _cluster_v1_UpdateNodeRequest, UpdateNodeRequest__Output as _cluster_v1_UpdateNodeRequest__Output } from './cluster/v1/UpdateNodeRequest.js';
import type { UpdateNodeResponse as _cluster_v1_UpdateNodeResponse, UpdateNodeResponse__Output as _cluster_v1_UpdateNodeResponse__Output } from './cluster/v1/UpdateNodeResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  cluster: {
    v1: {
      CaStatus: MessageTypeDefinition<_cluster_v1_CaStatus, _cluster_v1_CaStatus__Output>
      /**
       * Control is the API the `cluster` CLI calls. Every RPC requires an admin
       * client certificate (see the role table in packages/manager/src/auth).
       */
      Control: SubtypeConstructor<typeof grpc.Client, _cluster_v1_ControlClient> & { service: _cluster_v1_ControlDefinition }
      CreateCredentialsRequest: MessageTypeDefinition<_cluster_v1_CreateCredentialsRequest, _cluster_v1_CreateCredentialsRequest__Output>
      CreateCredentialsResponse: MessageTypeDefinition<_cluster_v1_CreateCredentialsResponse, _cluster_v1_CreateCredentialsResponse__Output>
      CreateSecretRequest: MessageTypeDefinition<_cluster_v1_CreateSecretRequest, _cluster_v1_CreateSecretRequest__Output>
      CreateSecretResponse: MessageTypeDefinition<_cluster_v1_CreateSecretResponse, _cluster_v1_CreateSecretResponse__Output>
      DependencyWait: MessageTypeDefinition<_cluster_v1_DependencyWait, _cluster_v1_DependencyWait__Output>
      DeployStackRequest: MessageTypeDefinition<_cluster_v1_DeployStackRequest, _cluster_v1_DeployStackRequest__Output>
      DeployStackResponse: MessageTypeDefinition<_cluster_v1_DeployStackResponse, _cluster_v1_DeployStackResponse__Output>
      GetCaStatusRequest: MessageTypeDefinition<_cluster_v1_GetCaStatusRequest, _cluster_v1_GetCaStatusRequest__Output>
      GetCaStatusResponse: MessageTypeDefinition<_cluster_v1_GetCaStatusResponse, _cluster_v1_GetCaStatusResponse__Output>
      GetJoinTokenRequest: MessageTypeDefinition<_cluster_v1_GetJoinTokenRequest, _cluster_v1_GetJoinTokenRequest__Output>
      GetJoinTokenResponse: MessageTypeDefinition<_cluster_v1_GetJoinTokenResponse, _cluster_v1_GetJoinTokenResponse__Output>
      HasImageRequest: MessageTypeDefinition<_cluster_v1_HasImageRequest, _cluster_v1_HasImageRequest__Output>
      HasImageResponse: MessageTypeDefinition<_cluster_v1_HasImageResponse, _cluster_v1_HasImageResponse__Output>
      ImageChunk: MessageTypeDefinition<_cluster_v1_ImageChunk, _cluster_v1_ImageChunk__Output>
      ListNodesRequest: MessageTypeDefinition<_cluster_v1_ListNodesRequest, _cluster_v1_ListNodesRequest__Output>
      ListNodesResponse: MessageTypeDefinition<_cluster_v1_ListNodesResponse, _cluster_v1_ListNodesResponse__Output>
      ListSecretsRequest: MessageTypeDefinition<_cluster_v1_ListSecretsRequest, _cluster_v1_ListSecretsRequest__Output>
      ListSecretsResponse: MessageTypeDefinition<_cluster_v1_ListSecretsResponse, _cluster_v1_ListSecretsResponse__Output>
      ListServicesRequest: MessageTypeDefinition<_cluster_v1_ListServicesRequest, _cluster_v1_ListServicesRequest__Output>
      ListServicesResponse: MessageTypeDefinition<_cluster_v1_ListServicesResponse, _cluster_v1_ListServicesResponse__Output>
      ListTasksRequest: MessageTypeDefinition<_cluster_v1_ListTasksRequest, _cluster_v1_ListTasksRequest__Output>
      ListTasksResponse: MessageTypeDefinition<_cluster_v1_ListTasksResponse, _cluster_v1_ListTasksResponse__Output>
      NetworkAddress: MessageTypeDefinition<_cluster_v1_NetworkAddress, _cluster_v1_NetworkAddress__Output>
      Node: MessageTypeDefinition<_cluster_v1_Node, _cluster_v1_Node__Output>
      NodeRefusalCount: MessageTypeDefinition<_cluster_v1_NodeRefusalCount, _cluster_v1_NodeRefusalCount__Output>
      PortMapping: MessageTypeDefinition<_cluster_v1_PortMapping, _cluster_v1_PortMapping__Output>
      PushImageResponse: MessageTypeDefinition<_cluster_v1_PushImageResponse, _cluster_v1_PushImageResponse__Output>
      RemoveNodeRequest: MessageTypeDefinition<_cluster_v1_RemoveNodeRequest, _cluster_v1_RemoveNodeRequest__Output>
      RemoveNodeResponse: MessageTypeDefinition<_cluster_v1_RemoveNodeResponse, _cluster_v1_RemoveNodeResponse__Output>
      RemoveSecretRequest: MessageTypeDefinition<_cluster_v1_RemoveSecretRequest, _cluster_v1_RemoveSecretRequest__Output>
      RemoveSecretResponse: MessageTypeDefinition<_cluster_v1_RemoveSecretResponse, _cluster_v1_RemoveSecretResponse__Output>
      RemoveStackRequest: MessageTypeDefinition<_cluster_v1_RemoveStackRequest, _cluster_v1_RemoveStackRequest__Output>
      RemoveStackResponse: MessageTypeDefinition<_cluster_v1_RemoveStackResponse, _cluster_v1_RemoveStackResponse__Output>
      RevokeCredentialsRequest: MessageTypeDefinition<_cluster_v1_RevokeCredentialsRequest, _cluster_v1_RevokeCredentialsRequest__Output>
      RevokeCredentialsResponse: MessageTypeDefinition<_cluster_v1_RevokeCredentialsResponse, _cluster_v1_RevokeCredentialsResponse__Output>
      RotateCaRequest: MessageTypeDefinition<_cluster_v1_RotateCaRequest, _cluster_v1_RotateCaRequest__Output>
      RotateCaResponse: MessageTypeDefinition<_cluster_v1_RotateCaResponse, _cluster_v1_RotateCaResponse__Output>
      RotateJoinTokenRequest: MessageTypeDefinition<_cluster_v1_RotateJoinTokenRequest, _cluster_v1_RotateJoinTokenRequest__Output>
      RotateJoinTokenResponse: MessageTypeDefinition<_cluster_v1_RotateJoinTokenResponse, _cluster_v1_RotateJoinTokenResponse__Output>
      ScaleServicesRequest: MessageTypeDefinition<_cluster_v1_ScaleServicesRequest, _cluster_v1_ScaleServicesRequest__Output>
      ScaleServicesResponse: MessageTypeDefinition<_cluster_v1_ScaleServicesResponse, _cluster_v1_ScaleServicesResponse__Output>
      ScaleTarget: MessageTypeDefinition<_cluster_v1_ScaleTarget, _cluster_v1_ScaleTarget__Output>
      SecretInfo: MessageTypeDefinition<_cluster_v1_SecretInfo, _cluster_v1_SecretInfo__Output>
      Service: MessageTypeDefinition<_cluster_v1_Service, _cluster_v1_Service__Output>
      ServiceChange: MessageTypeDefinition<_cluster_v1_ServiceChange, _cluster_v1_ServiceChange__Output>
      Task: MessageTypeDefinition<_cluster_v1_Task, _cluster_v1_Task__Output>
      TaskReason: MessageTypeDefinition<_cluster_v1_TaskReason, _cluster_v1_TaskReason__Output>
      TaskStatus: MessageTypeDefinition<_cluster_v1_TaskStatus, _cluster_v1_TaskStatus__Output>
      UpdateNodeRequest: MessageTypeDefinition<_cluster_v1_UpdateNodeRequest, _cluster_v1_UpdateNodeRequest__Output>
      UpdateNodeResponse: MessageTypeDefinition<_cluster_v1_UpdateNodeResponse, _cluster_v1_UpdateNodeResponse__Output>
    }
  }
}

