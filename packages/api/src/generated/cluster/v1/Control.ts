// Original file: proto/cluster/v1/control.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateCredentialsRequest as _cluster_v1_CreateCredentialsRequest, CreateCredentialsRequest__Output as _cluster_v1_CreateCredentialsRequest__Output } from '../../cluster/v1/CreateCredentialsRequest.js';
import type { CreateCredentialsResponse as _cluster_v1_CreateCredentialsResponse, CreateCredentialsResponse__Output as _cluster_v1_CreateCredentialsResponse__Output } from '../../cluster/v1/CreateCredentialsResponse.js';
import type { CreateSecretRequest as _cluster_v1_CreateSecretRequest, CreateSecretRequest__Output as _cluster_v1_CreateSecretRequest__Output } from '../../cluster/v1/CreateSecretRequest.js';
import type { CreateSecretResponse as _cluster_v1_CreateSecretResponse, CreateSecretResponse__Output as _cluster_v1_CreateSecretResponse__Output } from '../../cluster/v1/CreateSecretResponse.js';
import type { DeployStackRequest as _cluster_v1_DeployStackRequest, DeployStackRequest__Output as _cluster_v1_DeployStackRequest__Output } from '../../cluster/v1/DeployStackRequest.js';
import type { DeployStackResponse as _cluster_v1_DeployStackResponse, DeployStackResponse__Output as _cluster_v1_DeployStackResponse__Output } from '../../cluster/v1/DeployStackResponse.js';
import type { GetCaStatusRequest as _cluster_v1_GetCaStatusRequest, GetCaStatusRequest__Output as _cluster_v1_GetCaStatusRequest__Output } from '../../cluster/v1/GetCaStatusRequest.js';
import type { GetCaStatusResponse as _cluster_v1_GetCaStatusResponse, GetCaStatusResponse__Output as _cluster_v1_GetCaStatusResponse__Output } from '../../cluster/v1/GetCaStatusResponse.js';
import type { GetJoinTokenRequest as _cluster_v1_GetJoinTokenRequest, GetJoinTokenRequest__Output as _cluster_v1_GetJoinTokenRequest__Output } from '../../cluster/v1/GetJoinTokenRequest.js';
import type { GetJoinTokenResponse as _cluster_v1_GetJoinTokenResponse, GetJoinTokenResponse__Output as _cluster_v1_GetJoinTokenResponse__Output } from '../../cluster/v1/GetJoinTokenResponse.js';
import type { HasImageRequest as _cluster_v1_HasImageRequest, HasImageRequest__Output as _cluster_v1_HasImageRequest__Output } from '../../cluster/v1/HasImageRequest.js';
import type { HasImageResponse as _cluster_v1_HasImageResponse, HasImageResponse__Output as _cluster_v1_HasImageResponse__Output } from '../../cluster/v1/HasImageResponse.js';
import type { ImageChunk as _cluster_v1_ImageChunk, ImageChunk__Output as _cluster_v1_ImageChunk__Output } from '../../cluster/v1/ImageChunk.js';
import type { ListNodesRequest as _cluster_v1_ListNodesRequest, ListNodesRequest__Output as _cluster_v1_ListNodesRequest__Output } from '../../cluster/v1/ListNodesRequest.js';
import type { ListNodesResponse as _cluster_v1_ListNodesResponse, ListNodesResponse__Output as _cluster_v1_ListNodesResponse__Output } from '../../cluster/v1/ListNodesResponse.js';
import type { ListSecretsRequest as _cluster_v1_ListSecretsRequest, ListSecretsRequest__Output as _cluster_v1_ListSecretsRequest__Output } from '../../cluster/v1/ListSecretsRequest.js';
import type { ListSecretsResponse as _cluster_v1_ListSecretsResponse, ListSecretsResponse__Output as _cluster_v1_ListSecretsResponse__Output } from '../../cluster/v1/ListSecretsResponse.js';
import type { ListServicesRequest as _cluster_v1_ListServicesRequest, ListServicesRequest__Output as _cluster_v1_ListServicesRequest__Output } from '../../cluster/v1/ListServicesRequest.js';
import type { ListServicesResponse as _cluster_v1_ListServicesResponse, ListServicesResponse__Output as _cluster_v1_ListServicesResponse__Output } from '../../cluster/v1/ListServicesResponse.js';
import type { ListTasksRequest as _cluster_v1_ListTasksRequest, ListTasksRequest__Output as _cluster_v1_ListTasksRequest__Output } from '../../cluster/v1/ListTasksRequest.js';
import type { ListTasksResponse as _cluster_v1_ListTasksResponse, ListTasksResponse__Output as _cluster_v1_ListTasksResponse__Output } from '../../cluster/v1/ListTasksResponse.js';
import type { PushImageResponse as _cluster_v1_PushImageResponse, PushImageResponse__Output as _cluster_v1_PushImageResponse__Output } from '../../cluster/v1/PushImageResponse.js';
import type { RemoveNodeRequest as _cluster_v1_RemoveNodeRequest, RemoveNodeRequest__Output as _cluster_v1_RemoveNodeRequest__Output } from '../../cluster/v1/RemoveNodeRequest.js';
import type { RemoveNodeResponse as _cluster_v1_RemoveNodeResponse, RemoveNodeResponse__Output as _cluster_v1_RemoveNodeResponse__Output } from '../../cluster/v1/RemoveNodeResponse.js';
import type { RemoveSecretRequest as _cluster_v1_RemoveSecretRequest, RemoveSecretRequest__Output as _cluster_v1_RemoveSecretRequest__Output } from '../../cluster/v1/RemoveSecretRequest.js';
import type { RemoveSecretResponse as _cluster_v1_RemoveSecretResponse, RemoveSecretResponse__Output as _cluster_v1_RemoveSecretResponse__Output } from '../../cluster/v1/RemoveSecretResponse.js';
import type { RemoveStackRequest as _cluster_v1_RemoveStackRequest, RemoveStackRequest__Output as _cluster_v1_RemoveStackRequest__Output } from '../../cluster/v1/RemoveStackRequest.js';
import type { RemoveStackResponse as _cluster_v1_RemoveStackResponse, RemoveStackResponse__Output as _cluster_v1_RemoveStackResponse__Output } from '../../cluster/v1/RemoveStackResponse.js';
import type { RevokeCredentialsRequest as _cluster_v1_RevokeCredentialsRequest, RevokeCredentialsRequest__Output as _cluster_v1_RevokeCredentialsRequest__Output } from '../../cluster/v1/RevokeCredentialsRequest.js';
import type { RevokeCredentialsResponse as _cluster_v1_RevokeCredentialsResponse, RevokeCredentialsResponse__Output as _cluster_v1_RevokeCredentialsResponse__Output } from '../../cluster/v1/RevokeCredentialsResponse.js';
import type { RotateCaRequest as _cluster_v1_RotateCaRequest, RotateCaRequest__Output as _cluster_v1_RotateCaRequest__Output } from '../../cluster/v1/RotateCaRequest.js';
import type { RotateCaResponse as _cluster_v1_RotateCaResponse, RotateCaResponse__Output as _cluster_v1_RotateCaResponse__Output } from '../../cluster/v1/RotateCaResponse.js';
import type { RotateJoinTokenRequest as _cluster_v1_RotateJoinTokenRequest, RotateJoinTokenRequest__Output as _cluster_v1_RotateJoinTokenRequest__Output } from '../../cluster/v1/RotateJoinTokenRequest.js';
import type { RotateJoinTokenResponse as _cluster_v1_RotateJoinTokenResponse, RotateJoinTokenResponse__Output as _cluster_v1_RotateJoinTokenResponse__Output } from '../../cluster/v1/RotateJoinTokenResponse.js';
import type { ScaleServicesRequest as _cluster_v1_ScaleServicesRequest, ScaleServicesRequest__Output as _cluster_v1_ScaleServicesRequest__Output } from '../../cluster/v1/ScaleServicesRequest.js';
import type { ScaleServicesResponse as _cluster_v1_ScaleServicesResponse, ScaleServicesResponse__Output as _cluster_v1_ScaleServicesResponse__Output } from '../../cluster/v1/ScaleServicesResponse.js';
import type { UpdateNodeRequest as _cluster_v1_UpdateNodeRequest, UpdateNodeRequest__Output as _cluster_v1_UpdateNodeRequest__Output } from '../../cluster/v1/UpdateNodeRequest.js';
import type { UpdateNodeResponse as _cluster_v1_UpdateNodeResponse, UpdateNodeResponse__Output as _cluster_v1_UpdateNodeResponse__Output } from '../../cluster/v1/UpdateNodeResponse.js';

/**
 * Control is the API the `cluster` CLI calls. Every RPC requires an admin
 * client certificate (see the role table in packages/manager/src/auth).
 */
export interface ControlClient extends grpc.Client {
  /**
   * CreateCredentials signs an admin client certificate for a named operator
   * from a CSR made on the operator's side (the key never leaves it).
   */
  CreateCredentials(argument: _cluster_v1_CreateCredentialsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_CreateCredentialsResponse__Output>): grpc.ClientUnaryCall;
  CreateCredentials(argument: _cluster_v1_CreateCredentialsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_CreateCredentialsResponse__Output>): grpc.ClientUnaryCall;
  CreateCredentials(argument: _cluster_v1_CreateCredentialsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_CreateCredentialsResponse__Output>): grpc.ClientUnaryCall;
  CreateCredentials(argument: _cluster_v1_CreateCredentialsRequest, callback: grpc.requestCallback<_cluster_v1_CreateCredentialsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * CreateCredentials signs an admin client certificate for a named operator
   * from a CSR made on the operator's side (the key never leaves it).
   */
  createCredentials(argument: _cluster_v1_CreateCredentialsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_CreateCredentialsResponse__Output>): grpc.ClientUnaryCall;
  createCredentials(argument: _cluster_v1_CreateCredentialsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_CreateCredentialsResponse__Output>): grpc.ClientUnaryCall;
  createCredentials(argument: _cluster_v1_CreateCredentialsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_CreateCredentialsResponse__Output>): grpc.ClientUnaryCall;
  createCredentials(argument: _cluster_v1_CreateCredentialsRequest, callback: grpc.requestCallback<_cluster_v1_CreateCredentialsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * CreateSecret stores a secret or config made outside any stack file
   * (`cluster secret create`, `cluster config create`), sealed at rest in
   * the manager's store; stacks refer to it with `external: true` or
   * `name:`. A name is made once: creating it again is ALREADY_EXISTS. The
   * answer never holds the content.
   */
  CreateSecret(argument: _cluster_v1_CreateSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  CreateSecret(argument: _cluster_v1_CreateSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  CreateSecret(argument: _cluster_v1_CreateSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  CreateSecret(argument: _cluster_v1_CreateSecretRequest, callback: grpc.requestCallback<_cluster_v1_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  /**
   * CreateSecret stores a secret or config made outside any stack file
   * (`cluster secret create`, `cluster config create`), sealed at rest in
   * the manager's store; stacks refer to it with `external: true` or
   * `name:`. A name is made once: creating it again is ALREADY_EXISTS. The
   * answer never holds the content.
   */
  createSecret(argument: _cluster_v1_CreateSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  createSecret(argument: _cluster_v1_CreateSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  createSecret(argument: _cluster_v1_CreateSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  createSecret(argument: _cluster_v1_CreateSecretRequest, callback: grpc.requestCallback<_cluster_v1_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * DeployStack creates or updates a stack from its normalized spec. Services
   * whose spec did not change keep their tasks; services missing from the
   * spec are removed. With dry_run nothing is stored.
   */
  DeployStack(argument: _cluster_v1_DeployStackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_DeployStackResponse__Output>): grpc.ClientUnaryCall;
  DeployStack(argument: _cluster_v1_DeployStackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_DeployStackResponse__Output>): grpc.ClientUnaryCall;
  DeployStack(argument: _cluster_v1_DeployStackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_DeployStackResponse__Output>): grpc.ClientUnaryCall;
  DeployStack(argument: _cluster_v1_DeployStackRequest, callback: grpc.requestCallback<_cluster_v1_DeployStackResponse__Output>): grpc.ClientUnaryCall;
  /**
   * DeployStack creates or updates a stack from its normalized spec. Services
   * whose spec did not change keep their tasks; services missing from the
   * spec are removed. With dry_run nothing is stored.
   */
  deployStack(argument: _cluster_v1_DeployStackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_DeployStackResponse__Output>): grpc.ClientUnaryCall;
  deployStack(argument: _cluster_v1_DeployStackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_DeployStackResponse__Output>): grpc.ClientUnaryCall;
  deployStack(argument: _cluster_v1_DeployStackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_DeployStackResponse__Output>): grpc.ClientUnaryCall;
  deployStack(argument: _cluster_v1_DeployStackRequest, callback: grpc.requestCallback<_cluster_v1_DeployStackResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetCaStatus tells the CA digest and the progress of a rotation.
   */
  GetCaStatus(argument: _cluster_v1_GetCaStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_GetCaStatusResponse__Output>): grpc.ClientUnaryCall;
  GetCaStatus(argument: _cluster_v1_GetCaStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_GetCaStatusResponse__Output>): grpc.ClientUnaryCall;
  GetCaStatus(argument: _cluster_v1_GetCaStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_GetCaStatusResponse__Output>): grpc.ClientUnaryCall;
  GetCaStatus(argument: _cluster_v1_GetCaStatusRequest, callback: grpc.requestCallback<_cluster_v1_GetCaStatusResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GetCaStatus tells the CA digest and the progress of a rotation.
   */
  getCaStatus(argument: _cluster_v1_GetCaStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_GetCaStatusResponse__Output>): grpc.ClientUnaryCall;
  getCaStatus(argument: _cluster_v1_GetCaStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_GetCaStatusResponse__Output>): grpc.ClientUnaryCall;
  getCaStatus(argument: _cluster_v1_GetCaStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_GetCaStatusResponse__Output>): grpc.ClientUnaryCall;
  getCaStatus(argument: _cluster_v1_GetCaStatusRequest, callback: grpc.requestCallback<_cluster_v1_GetCaStatusResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetJoinToken returns a token with which a node joins in the given role.
   */
  GetJoinToken(argument: _cluster_v1_GetJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_GetJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  GetJoinToken(argument: _cluster_v1_GetJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_GetJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  GetJoinToken(argument: _cluster_v1_GetJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_GetJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  GetJoinToken(argument: _cluster_v1_GetJoinTokenRequest, callback: grpc.requestCallback<_cluster_v1_GetJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GetJoinToken returns a token with which a node joins in the given role.
   */
  getJoinToken(argument: _cluster_v1_GetJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_GetJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  getJoinToken(argument: _cluster_v1_GetJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_GetJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  getJoinToken(argument: _cluster_v1_GetJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_GetJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  getJoinToken(argument: _cluster_v1_GetJoinTokenRequest, callback: grpc.requestCallback<_cluster_v1_GetJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * HasImage tells whether the manager holds an image id already (then it
   * also answers to the given name), so that an unchanged build is not sent
   * again. Requires an admin certificate.
   */
  HasImage(argument: _cluster_v1_HasImageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_HasImageResponse__Output>): grpc.ClientUnaryCall;
  HasImage(argument: _cluster_v1_HasImageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_HasImageResponse__Output>): grpc.ClientUnaryCall;
  HasImage(argument: _cluster_v1_HasImageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_HasImageResponse__Output>): grpc.ClientUnaryCall;
  HasImage(argument: _cluster_v1_HasImageRequest, callback: grpc.requestCallback<_cluster_v1_HasImageResponse__Output>): grpc.ClientUnaryCall;
  /**
   * HasImage tells whether the manager holds an image id already (then it
   * also answers to the given name), so that an unchanged build is not sent
   * again. Requires an admin certificate.
   */
  hasImage(argument: _cluster_v1_HasImageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_HasImageResponse__Output>): grpc.ClientUnaryCall;
  hasImage(argument: _cluster_v1_HasImageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_HasImageResponse__Output>): grpc.ClientUnaryCall;
  hasImage(argument: _cluster_v1_HasImageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_HasImageResponse__Output>): grpc.ClientUnaryCall;
  hasImage(argument: _cluster_v1_HasImageRequest, callback: grpc.requestCallback<_cluster_v1_HasImageResponse__Output>): grpc.ClientUnaryCall;
  
  ListNodes(argument: _cluster_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _cluster_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _cluster_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _cluster_v1_ListNodesRequest, callback: grpc.requestCallback<_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _cluster_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _cluster_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _cluster_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _cluster_v1_ListNodesRequest, callback: grpc.requestCallback<_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ListSecrets lists the secrets or configs made in the cluster, with their
   * size and the services that use them, never their content.
   */
  ListSecrets(argument: _cluster_v1_ListSecretsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  ListSecrets(argument: _cluster_v1_ListSecretsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  ListSecrets(argument: _cluster_v1_ListSecretsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  ListSecrets(argument: _cluster_v1_ListSecretsRequest, callback: grpc.requestCallback<_cluster_v1_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ListSecrets lists the secrets or configs made in the cluster, with their
   * size and the services that use them, never their content.
   */
  listSecrets(argument: _cluster_v1_ListSecretsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  listSecrets(argument: _cluster_v1_ListSecretsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  listSecrets(argument: _cluster_v1_ListSecretsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  listSecrets(argument: _cluster_v1_ListSecretsRequest, callback: grpc.requestCallback<_cluster_v1_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  
  ListServices(argument: _cluster_v1_ListServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _cluster_v1_ListServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _cluster_v1_ListServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _cluster_v1_ListServicesRequest, callback: grpc.requestCallback<_cluster_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _cluster_v1_ListServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _cluster_v1_ListServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _cluster_v1_ListServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _cluster_v1_ListServicesRequest, callback: grpc.requestCallback<_cluster_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  
  ListTasks(argument: _cluster_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _cluster_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _cluster_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _cluster_v1_ListTasksRequest, callback: grpc.requestCallback<_cluster_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _cluster_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _cluster_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _cluster_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _cluster_v1_ListTasksRequest, callback: grpc.requestCallback<_cluster_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * PushImage stores an image `cluster deploy` built for a `build:` service:
   * a `docker save` archive in chunks, the first naming the image and its
   * engine id. The manager keeps it content-addressed (sha256 of the archive)
   * and sends it to the nodes that need it. Ends with one response once the
   * archive is stored. Requires an admin certificate.
   */
  PushImage(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_PushImageResponse__Output>): grpc.ClientWritableStream<_cluster_v1_ImageChunk>;
  PushImage(metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_PushImageResponse__Output>): grpc.ClientWritableStream<_cluster_v1_ImageChunk>;
  PushImage(options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_PushImageResponse__Output>): grpc.ClientWritableStream<_cluster_v1_ImageChunk>;
  PushImage(callback: grpc.requestCallback<_cluster_v1_PushImageResponse__Output>): grpc.ClientWritableStream<_cluster_v1_ImageChunk>;
  /**
   * PushImage stores an image `cluster deploy` built for a `build:` service:
   * a `docker save` archive in chunks, the first naming the image and its
   * engine id. The manager keeps it content-addressed (sha256 of the archive)
   * and sends it to the nodes that need it. Ends with one response once the
   * archive is stored. Requires an admin certificate.
   */
  pushImage(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_PushImageResponse__Output>): grpc.ClientWritableStream<_cluster_v1_ImageChunk>;
  pushImage(metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_PushImageResponse__Output>): grpc.ClientWritableStream<_cluster_v1_ImageChunk>;
  pushImage(options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_PushImageResponse__Output>): grpc.ClientWritableStream<_cluster_v1_ImageChunk>;
  pushImage(callback: grpc.requestCallback<_cluster_v1_PushImageResponse__Output>): grpc.ClientWritableStream<_cluster_v1_ImageChunk>;
  
  /**
   * RemoveNode revokes a node: its certificate is refused from then on, its
   * session is closed and its tasks are rescheduled.
   */
  RemoveNode(argument: _cluster_v1_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _cluster_v1_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _cluster_v1_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _cluster_v1_RemoveNodeRequest, callback: grpc.requestCallback<_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * RemoveNode revokes a node: its certificate is refused from then on, its
   * session is closed and its tasks are rescheduled.
   */
  removeNode(argument: _cluster_v1_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _cluster_v1_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _cluster_v1_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _cluster_v1_RemoveNodeRequest, callback: grpc.requestCallback<_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * RemoveSecret removes a secret or config that no service uses; one in use
   * is FAILED_PRECONDITION, naming the stacks that use it.
   */
  RemoveSecret(argument: _cluster_v1_RemoveSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  RemoveSecret(argument: _cluster_v1_RemoveSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  RemoveSecret(argument: _cluster_v1_RemoveSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  RemoveSecret(argument: _cluster_v1_RemoveSecretRequest, callback: grpc.requestCallback<_cluster_v1_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  /**
   * RemoveSecret removes a secret or config that no service uses; one in use
   * is FAILED_PRECONDITION, naming the stacks that use it.
   */
  removeSecret(argument: _cluster_v1_RemoveSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  removeSecret(argument: _cluster_v1_RemoveSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  removeSecret(argument: _cluster_v1_RemoveSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  removeSecret(argument: _cluster_v1_RemoveSecretRequest, callback: grpc.requestCallback<_cluster_v1_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * RemoveStack removes every service of the stack and their tasks.
   */
  RemoveStack(argument: _cluster_v1_RemoveStackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RemoveStackResponse__Output>): grpc.ClientUnaryCall;
  RemoveStack(argument: _cluster_v1_RemoveStackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RemoveStackResponse__Output>): grpc.ClientUnaryCall;
  RemoveStack(argument: _cluster_v1_RemoveStackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RemoveStackResponse__Output>): grpc.ClientUnaryCall;
  RemoveStack(argument: _cluster_v1_RemoveStackRequest, callback: grpc.requestCallback<_cluster_v1_RemoveStackResponse__Output>): grpc.ClientUnaryCall;
  /**
   * RemoveStack removes every service of the stack and their tasks.
   */
  removeStack(argument: _cluster_v1_RemoveStackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RemoveStackResponse__Output>): grpc.ClientUnaryCall;
  removeStack(argument: _cluster_v1_RemoveStackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RemoveStackResponse__Output>): grpc.ClientUnaryCall;
  removeStack(argument: _cluster_v1_RemoveStackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RemoveStackResponse__Output>): grpc.ClientUnaryCall;
  removeStack(argument: _cluster_v1_RemoveStackRequest, callback: grpc.requestCallback<_cluster_v1_RemoveStackResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * RevokeCredentials ends every certificate issued to a named operator.
   */
  RevokeCredentials(argument: _cluster_v1_RevokeCredentialsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RevokeCredentialsResponse__Output>): grpc.ClientUnaryCall;
  RevokeCredentials(argument: _cluster_v1_RevokeCredentialsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RevokeCredentialsResponse__Output>): grpc.ClientUnaryCall;
  RevokeCredentials(argument: _cluster_v1_RevokeCredentialsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RevokeCredentialsResponse__Output>): grpc.ClientUnaryCall;
  RevokeCredentials(argument: _cluster_v1_RevokeCredentialsRequest, callback: grpc.requestCallback<_cluster_v1_RevokeCredentialsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * RevokeCredentials ends every certificate issued to a named operator.
   */
  revokeCredentials(argument: _cluster_v1_RevokeCredentialsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RevokeCredentialsResponse__Output>): grpc.ClientUnaryCall;
  revokeCredentials(argument: _cluster_v1_RevokeCredentialsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RevokeCredentialsResponse__Output>): grpc.ClientUnaryCall;
  revokeCredentials(argument: _cluster_v1_RevokeCredentialsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RevokeCredentialsResponse__Output>): grpc.ClientUnaryCall;
  revokeCredentials(argument: _cluster_v1_RevokeCredentialsRequest, callback: grpc.requestCallback<_cluster_v1_RevokeCredentialsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * RotateCa makes a new CA key and certificate: every certificate is issued
   * by it from then on, both CAs are trusted until every node holds a
   * certificate of the new one (or until finish), and the caller's CSR is
   * signed by it. With finish, it ends a rotation in progress instead.
   */
  RotateCa(argument: _cluster_v1_RotateCaRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RotateCaResponse__Output>): grpc.ClientUnaryCall;
  RotateCa(argument: _cluster_v1_RotateCaRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RotateCaResponse__Output>): grpc.ClientUnaryCall;
  RotateCa(argument: _cluster_v1_RotateCaRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RotateCaResponse__Output>): grpc.ClientUnaryCall;
  RotateCa(argument: _cluster_v1_RotateCaRequest, callback: grpc.requestCallback<_cluster_v1_RotateCaResponse__Output>): grpc.ClientUnaryCall;
  /**
   * RotateCa makes a new CA key and certificate: every certificate is issued
   * by it from then on, both CAs are trusted until every node holds a
   * certificate of the new one (or until finish), and the caller's CSR is
   * signed by it. With finish, it ends a rotation in progress instead.
   */
  rotateCa(argument: _cluster_v1_RotateCaRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RotateCaResponse__Output>): grpc.ClientUnaryCall;
  rotateCa(argument: _cluster_v1_RotateCaRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RotateCaResponse__Output>): grpc.ClientUnaryCall;
  rotateCa(argument: _cluster_v1_RotateCaRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RotateCaResponse__Output>): grpc.ClientUnaryCall;
  rotateCa(argument: _cluster_v1_RotateCaRequest, callback: grpc.requestCallback<_cluster_v1_RotateCaResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * RotateJoinToken makes every earlier token of the role invalid.
   */
  RotateJoinToken(argument: _cluster_v1_RotateJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  RotateJoinToken(argument: _cluster_v1_RotateJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  RotateJoinToken(argument: _cluster_v1_RotateJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  RotateJoinToken(argument: _cluster_v1_RotateJoinTokenRequest, callback: grpc.requestCallback<_cluster_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  /**
   * RotateJoinToken makes every earlier token of the role invalid.
   */
  rotateJoinToken(argument: _cluster_v1_RotateJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  rotateJoinToken(argument: _cluster_v1_RotateJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  rotateJoinToken(argument: _cluster_v1_RotateJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  rotateJoinToken(argument: _cluster_v1_RotateJoinTokenRequest, callback: grpc.requestCallback<_cluster_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ScaleServices sets replica counts; all are checked before any is applied.
   */
  ScaleServices(argument: _cluster_v1_ScaleServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ScaleServicesResponse__Output>): grpc.ClientUnaryCall;
  ScaleServices(argument: _cluster_v1_ScaleServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_ScaleServicesResponse__Output>): grpc.ClientUnaryCall;
  ScaleServices(argument: _cluster_v1_ScaleServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ScaleServicesResponse__Output>): grpc.ClientUnaryCall;
  ScaleServices(argument: _cluster_v1_ScaleServicesRequest, callback: grpc.requestCallback<_cluster_v1_ScaleServicesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ScaleServices sets replica counts; all are checked before any is applied.
   */
  scaleServices(argument: _cluster_v1_ScaleServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ScaleServicesResponse__Output>): grpc.ClientUnaryCall;
  scaleServices(argument: _cluster_v1_ScaleServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_ScaleServicesResponse__Output>): grpc.ClientUnaryCall;
  scaleServices(argument: _cluster_v1_ScaleServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_ScaleServicesResponse__Output>): grpc.ClientUnaryCall;
  scaleServices(argument: _cluster_v1_ScaleServicesRequest, callback: grpc.requestCallback<_cluster_v1_ScaleServicesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * UpdateNode changes a node's availability and labels.
   */
  UpdateNode(argument: _cluster_v1_UpdateNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  UpdateNode(argument: _cluster_v1_UpdateNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  UpdateNode(argument: _cluster_v1_UpdateNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  UpdateNode(argument: _cluster_v1_UpdateNodeRequest, callback: grpc.requestCallback<_cluster_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * UpdateNode changes a node's availability and labels.
   */
  updateNode(argument: _cluster_v1_UpdateNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _cluster_v1_UpdateNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _cluster_v1_UpdateNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _cluster_v1_UpdateNodeRequest, callback: grpc.requestCallback<_cluster_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Control is the API the `cluster` CLI calls. Every RPC requires an admin
 * client certificate (see the role table in packages/manager/src/auth).
 */
export interface ControlHandlers extends grpc.UntypedServiceImplementation {
  /**
   * CreateCredentials signs an admin client certificate for a named operator
   * from a CSR made on the operator's side (the key never leaves it).
   */
  CreateCredentials: grpc.handleUnaryCall<_cluster_v1_CreateCredentialsRequest__Output, _cluster_v1_CreateCredentialsResponse>;
  
  /**
   * CreateSecret stores a secret or config made outside any stack file
   * (`cluster secret create`, `cluster config create`), sealed at rest in
   * the manager's store; stacks refer to it with `external: true` or
   * `name:`. A name is made once: creating it again is ALREADY_EXISTS. The
   * answer never holds the content.
   */
  CreateSecret: grpc.handleUnaryCall<_cluster_v1_CreateSecretRequest__Output, _cluster_v1_CreateSecretResponse>;
  
  /**
   * DeployStack creates or updates a stack from its normalized spec. Services
   * whose spec did not change keep their tasks; services missing from the
   * spec are removed. With dry_run nothing is stored.
   */
  DeployStack: grpc.handleUnaryCall<_cluster_v1_DeployStackRequest__Output, _cluster_v1_DeployStackResponse>;
  
  /**
   * GetCaStatus tells the CA digest and the progress of a rotation.
   */
  GetCaStatus: grpc.handleUnaryCall<_cluster_v1_GetCaStatusRequest__Output, _cluster_v1_GetCaStatusResponse>;
  
  /**
   * GetJoinToken returns a token with which a node joins in the given role.
   */
  GetJoinToken: grpc.handleUnaryCall<_cluster_v1_GetJoinTokenRequest__Output, _cluster_v1_GetJoinTokenResponse>;
  
  /**
   * HasImage tells whether the manager holds an image id already (then it
   * also answers to the given name), so that an unchanged build is not sent
   * again. Requires an admin certificate.
   */
  HasImage: grpc.handleUnaryCall<_cluster_v1_HasImageRequest__Output, _cluster_v1_HasImageResponse>;
  
  ListNodes: grpc.handleUnaryCall<_cluster_v1_ListNodesRequest__Output, _cluster_v1_ListNodesResponse>;
  
  /**
   * ListSecrets lists the secrets or configs made in the cluster, with their
   * size and the services that use them, never their content.
   */
  ListSecrets: grpc.handleUnaryCall<_cluster_v1_ListSecretsRequest__Output, _cluster_v1_ListSecretsResponse>;
  
  ListServices: grpc.handleUnaryCall<_cluster_v1_ListServicesRequest__Output, _cluster_v1_ListServicesResponse>;
  
  ListTasks: grpc.handleUnaryCall<_cluster_v1_ListTasksRequest__Output, _cluster_v1_ListTasksResponse>;
  
  /**
   * PushImage stores an image `cluster deploy` built for a `build:` service:
   * a `docker save` archive in chunks, the first naming the image and its
   * engine id. The manager keeps it content-addressed (sha256 of the archive)
   * and sends it to the nodes that need it. Ends with one response once the
   * archive is stored. Requires an admin certificate.
   */
  PushImage: grpc.handleClientStreamingCall<_cluster_v1_ImageChunk__Output, _cluster_v1_PushImageResponse>;
  
  /**
   * RemoveNode revokes a node: its certificate is refused from then on, its
   * session is closed and its tasks are rescheduled.
   */
  RemoveNode: grpc.handleUnaryCall<_cluster_v1_RemoveNodeRequest__Output, _cluster_v1_RemoveNodeResponse>;
  
  /**
   * RemoveSecret removes a secret or config that no service uses; one in use
   * is FAILED_PRECONDITION, naming the stacks that use it.
   */
  RemoveSecret: grpc.handleUnaryCall<_cluster_v1_RemoveSecretRequest__Output, _cluster_v1_RemoveSecretResponse>;
  
  /**
   * RemoveStack removes every service of the stack and their tasks.
   */
  RemoveStack: grpc.handleUnaryCall<_cluster_v1_RemoveStackRequest__Output, _cluster_v1_RemoveStackResponse>;
  
  /**
   * RevokeCredentials ends every certificate issued to a named operator.
   */
  RevokeCredentials: grpc.handleUnaryCall<_cluster_v1_RevokeCredentialsRequest__Output, _cluster_v1_RevokeCredentialsResponse>;
  
  /**
   * RotateCa makes a new CA key and certificate: every certificate is issued
   * by it from then on, both CAs are trusted until every node holds a
   * certificate of the new one (or until finish), and the caller's CSR is
   * signed by it. With finish, it ends a rotation in progress instead.
   */
  RotateCa: grpc.handleUnaryCall<_cluster_v1_RotateCaRequest__Output, _cluster_v1_RotateCaResponse>;
  
  /**
   * RotateJoinToken makes every earlier token of the role invalid.
   */
  RotateJoinToken: grpc.handleUnaryCall<_cluster_v1_RotateJoinTokenRequest__Output, _cluster_v1_RotateJoinTokenResponse>;
  
  /**
   * ScaleServices sets replica counts; all are checked before any is applied.
   */
  ScaleServices: grpc.handleUnaryCall<_cluster_v1_ScaleServicesRequest__Output, _cluster_v1_ScaleServicesResponse>;
  
  /**
   * UpdateNode changes a node's availability and labels.
   */
  UpdateNode: grpc.handleUnaryCall<_cluster_v1_UpdateNodeRequest__Output, _cluster_v1_UpdateNodeResponse>;
  
}

export interface ControlDefinition extends grpc.ServiceDefinition {
  CreateCredentials: MethodDefinition<_cluster_v1_CreateCredentialsRequest, _cluster_v1_CreateCredentialsResponse, _cluster_v1_CreateCredentialsRequest__Output, _cluster_v1_CreateCredentialsResponse__Output>
  CreateSecret: MethodDefinition<_cluster_v1_CreateSecretRequest, _cluster_v1_CreateSecretResponse, _cluster_v1_CreateSecretRequest__Output, _cluster_v1_CreateSecretResponse__Output>
  DeployStack: MethodDefinition<_cluster_v1_DeployStackRequest, _cluster_v1_DeployStackResponse, _cluster_v1_DeployStackRequest__Output, _cluster_v1_DeployStackResponse__Output>
  GetCaStatus: MethodDefinition<_cluster_v1_GetCaStatusRequest, _cluster_v1_GetCaStatusResponse, _cluster_v1_GetCaStatusRequest__Output, _cluster_v1_GetCaStatusResponse__Output>
  GetJoinToken: MethodDefinition<_cluster_v1_GetJoinTokenRequest, _cluster_v1_GetJoinTokenResponse, _cluster_v1_GetJoinTokenRequest__Output, _cluster_v1_GetJoinTokenResponse__Output>
  HasImage: MethodDefinition<_cluster_v1_HasImageRequest, _cluster_v1_HasImageResponse, _cluster_v1_HasImageRequest__Output, _cluster_v1_HasImageResponse__Output>
  ListNodes: MethodDefinition<_cluster_v1_ListNodesRequest, _cluster_v1_ListNodesResponse, _cluster_v1_ListNodesRequest__Output, _cluster_v1_ListNodesResponse__Output>
  ListSecrets: MethodDefinition<_cluster_v1_ListSecretsRequest, _cluster_v1_ListSecretsResponse, _cluster_v1_ListSecretsRequest__Output, _cluster_v1_ListSecretsResponse__Output>
  ListServices: MethodDefinition<_cluster_v1_ListServicesRequest, _cluster_v1_ListServicesResponse, _cluster_v1_ListServicesRequest__Output, _cluster_v1_ListServicesResponse__Output>
  ListTasks: MethodDefinition<_cluster_v1_ListTasksRequest, _cluster_v1_ListTasksResponse, _cluster_v1_ListTasksRequest__Output, _cluster_v1_ListTasksResponse__Output>
  PushImage: MethodDefinition<_cluster_v1_ImageChunk, _cluster_v1_PushImageResponse, _cluster_v1_ImageChunk__Output, _cluster_v1_PushImageResponse__Output>
  RemoveNode: MethodDefinition<_cluster_v1_RemoveNodeRequest, _cluster_v1_RemoveNodeResponse, _cluster_v1_RemoveNodeRequest__Output, _cluster_v1_RemoveNodeResponse__Output>
  RemoveSecret: MethodDefinition<_cluster_v1_RemoveSecretRequest, _cluster_v1_RemoveSecretResponse, _cluster_v1_RemoveSecretRequest__Output, _cluster_v1_RemoveSecretResponse__Output>
  RemoveStack: MethodDefinition<_cluster_v1_RemoveStackRequest, _cluster_v1_RemoveStackResponse, _cluster_v1_RemoveStackRequest__Output, _cluster_v1_RemoveStackResponse__Output>
  RevokeCredentials: MethodDefinition<_cluster_v1_RevokeCredentialsRequest, _cluster_v1_RevokeCredentialsResponse, _cluster_v1_RevokeCredentialsRequest__Output, _cluster_v1_RevokeCredentialsResponse__Output>
  RotateCa: MethodDefinition<_cluster_v1_RotateCaRequest, _cluster_v1_RotateCaResponse, _cluster_v1_RotateCaRequest__Output, _cluster_v1_RotateCaResponse__Output>
  RotateJoinToken: MethodDefinition<_cluster_v1_RotateJoinTokenRequest, _cluster_v1_RotateJoinTokenResponse, _cluster_v1_RotateJoinTokenRequest__Output, _cluster_v1_RotateJoinTokenResponse__Output>
  ScaleServices: MethodDefinition<_cluster_v1_ScaleServicesRequest, _cluster_v1_ScaleServicesResponse, _cluster_v1_ScaleServicesRequest__Output, _cluster_v1_ScaleServicesResponse__Output>
  UpdateNode: MethodDefinition<_cluster_v1_UpdateNodeRequest, _cluster_v1_UpdateNodeResponse, _cluster_v1_UpdateNodeRequest__Output, _cluster_v1_UpdateNodeResponse__Output>
}
