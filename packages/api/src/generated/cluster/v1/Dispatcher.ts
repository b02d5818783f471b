// Original file: proto/cluster/v1/dispatcher.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentMessage as _cluster_v1_AgentMessage, AgentMessage__Output as _cluster_v1_AgentMessage__Output } from '../../cluster/v1/AgentMessage.js';
import type { FetchImageRequest as _cluster_v1_FetchImageRequest, FetchImageRequest__Output as _cluster_v1_FetchImageRequest__Output } from '../../cluster/v1/FetchImageRequest.js';
import type { ImageChunk as _cluster_v1_ImageChunk, ImageChunk__Output as _cluster_v1_ImageChunk__Output } from '../../cluster/v1/ImageChunk.js';
import type { JoinRequest as _cluster_v1_JoinRequest, JoinRequest__Output as _cluster_v1_JoinRequest__Output } from '../../cluster/v1/JoinRequest.js';
import type { JoinResponse as _cluster_v1_JoinResponse, JoinResponse__Output as _cluster_v1_JoinResponse__Output } from '../../cluster/v1/JoinResponse.js';
import type { ManagerMessage as _cluster_v1_ManagerMessage, ManagerMessage__Output as _cluster_v1_ManagerMessage__Output } from '../../cluster/v1/ManagerMessage.js';
import type { RenewCertificateRequest as _cluster_v1_RenewCertificateRequest, RenewCertificateRequest__Output as _cluster_v1_RenewCertificateRequest__Output } from '../../cluster/v1/RenewCertificateRequest.js';
import type { RenewCertificateResponse as _cluster_v1_RenewCertificateResponse, RenewCertificateResponse__Output as _cluster_v1_RenewCertificateResponse__Output } from '../../cluster/v1/RenewCertificateResponse.js';

/**
 * Dispatcher is the API agents call. The manager never dials an agent.
 */
export interface DispatcherClient extends grpc.Client {
  /**
   * FetchImage streams an image the manager holds (pushed by `cluster deploy`
   * for a `build:` service) to a node that lacks it, in chunks, then ends.
   * Requires a node certificate, and a task assigned to that node (meant to
   * run) whose service uses the image: PERMISSION_DENIED otherwise, whether
   * the manager holds it or not; NOT_FOUND when the manager has no image of
   * that name.
   */
  FetchImage(argument: _cluster_v1_FetchImageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_cluster_v1_ImageChunk__Output>;
  FetchImage(argument: _cluster_v1_FetchImageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_cluster_v1_ImageChunk__Output>;
  /**
   * FetchImage streams an image the manager holds (pushed by `cluster deploy`
   * for a `build:` service) to a node that lacks it, in chunks, then ends.
   * Requires a node certificate, and a task assigned to that node (meant to
   * run) whose service uses the image: PERMISSION_DENIED otherwise, whether
   * the manager holds it or not; NOT_FOUND when the manager has no image of
   * that name.
   */
  fetchImage(argument: _cluster_v1_FetchImageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_cluster_v1_ImageChunk__Output>;
  fetchImage(argument: _cluster_v1_FetchImageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_cluster_v1_ImageChunk__Output>;
  
  /**
   * Join exchanges a join token and a CSR for a node certificate. It is the
   * only RPC callable without a client certificate; the caller has already
   * checked the server certificate against the CA digest in the token.
   */
  Join(argument: _cluster_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _cluster_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _cluster_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _cluster_v1_JoinRequest, callback: grpc.requestCallback<_cluster_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Join exchanges a join token and a CSR for a node certificate. It is the
   * only RPC callable without a client certificate; the caller has already
   * checked the server certificate against the CA digest in the token.
   */
  join(argument: _cluster_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _cluster_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _cluster_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _cluster_v1_JoinRequest, callback: grpc.requestCallback<_cluster_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * RenewCertificate issues a fresh node certificate for a new CSR. Requires
   * the node's current, still valid certificate; the identity and role are
   * taken from it, never from the CSR.
   */
  RenewCertificate(argument: _cluster_v1_RenewCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RenewCertificateResponse__Output>): grpc.ClientUnaryCall;
  RenewCertificate(argument: _cluster_v1_RenewCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RenewCertificateResponse__Output>): grpc.ClientUnaryCall;
  RenewCertificate(argument: _cluster_v1_RenewCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RenewCertificateResponse__Output>): grpc.ClientUnaryCall;
  RenewCertificate(argument: _cluster_v1_RenewCertificateRequest, callback: grpc.requestCallback<_cluster_v1_RenewCertificateResponse__Output>): grpc.ClientUnaryCall;
  /**
   * RenewCertificate issues a fresh node certificate for a new CSR. Requires
   * the node's current, still valid certificate; the identity and role are
   * taken from it, never from the CSR.
   */
  renewCertificate(argument: _cluster_v1_RenewCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RenewCertificateResponse__Output>): grpc.ClientUnaryCall;
  renewCertificate(argument: _cluster_v1_RenewCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cluster_v1_RenewCertificateResponse__Output>): grpc.ClientUnaryCall;
  renewCertificate(argument: _cluster_v1_RenewCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cluster_v1_RenewCertificateResponse__Output>): grpc.ClientUnaryCall;
  renewCertificate(argument: _cluster_v1_RenewCertificateRequest, callback: grpc.requestCallback<_cluster_v1_RenewCertificateResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Session is the one long-lived stream of a node. The agent's first message
   * is a SessionHello; then heartbeats and task status. The manager answers
   * SessionAccepted, then a FULL assignment set, then INCREMENTAL changes. It
   * ends when either side closes it or the node is removed. Requires a node
   * certificate; the node id is taken from it, never from the messages.
   */
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_cluster_v1_AgentMessage, _cluster_v1_ManagerMessage__Output>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_cluster_v1_AgentMessage, _cluster_v1_ManagerMessage__Output>;
  /**
   * Session is the one long-lived stream of a node. The agent's first message
   * is a SessionHello; then heartbeats and task status. The manager answers
   * SessionAccepted, then a FULL assignment set, then INCREMENTAL changes. It
   * ends when either side closes it or the node is removed. Requires a node
   * certificate; the node id is taken from it, never from the messages.
   */
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_cluster_v1_AgentMessage, _cluster_v1_ManagerMessage__Output>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_cluster_v1_AgentMessage, _cluster_v1_ManagerMessage__Output>;
  
}

/**
 * Dispatcher is the API agents call. The manager never dials an agent.
 */
export interface DispatcherHandlers extends grpc.UntypedServiceImplementation {
  /**
   * FetchImage streams an image the manager holds (pushed by `cluster deploy`
   * for a `build:` service) to a node that lacks it, in chunks, then ends.
   * Requires a node certificate, and a task assigned to that node (meant to
   * run) whose service uses the image: PERMISSION_DENIED otherwise, whether
   * the manager holds it or not; NOT_FOUND when the manager has no image of
   * that name.
   */
  FetchImage: grpc.handleServerStreamingCall<_cluster_v1_FetchImageRequest__Output, _cluster_v1_ImageChunk>;
  
  /**
   * Join exchanges a join token and a CSR for a node certificate. It is the
   * only RPC callable without a client certificate; the caller has already
   * checked the server certificate against the CA digest in the token.
   */
  Join: grpc.handleUnaryCall<_cluster_v1_JoinRequest__Output, _cluster_v1_JoinResponse>;
  
  /**
   * RenewCertificate issues a fresh node certificate for a new CSR. Requires
   * the node's current, still valid certificate; the identity and role are
   * taken from it, never from the CSR.
   */
  RenewCertificate: grpc.handleUnaryCall<_cluster_v1_RenewCertificateRequest__Output, _cluster_v1_RenewCertificateResponse>;
  
  /**
   * Session is the one long-lived stream of a node. The agent's first message
   * is a SessionHello; then heartbeats and task status. The manager answers
   * SessionAccepted, then a FULL assignment set, then INCREMENTAL changes. It
   * ends when either side closes it or the node is removed. Requires a node
   * certificate; the node id is taken from it, never from the messages.
   */
  Session: grpc.handleBidiStreamingCall<_cluster_v1_AgentMessage__Output, _cluster_v1_ManagerMessage>;
  
}

export interface DispatcherDefinition extends grpc.ServiceDefinition {
  FetchImage: MethodDefinition<_cluster_v1_FetchImageRequest, _cluster_v1_ImageChunk, _cluster_v1_FetchImageRequest__Output, _cluster_v1_ImageChunk__Output>
  Join: MethodDefinition<_cluster_v1_JoinRequest, _cluster_v1_JoinResponse, _cluster_v1_JoinRequest__Output, _cluster_v1_JoinResponse__Output>
  RenewCertificate: MethodDefinition<_cluster_v1_RenewCertificateRequest, _cluster_v1_RenewCertificateResponse, _cluster_v1_RenewCertificateRequest__Output, _cluster_v1_RenewCertificateResponse__Output>
  Session: MethodDefinition<_cluster_v1_AgentMessage, _cluster_v1_ManagerMessage, _cluster_v1_AgentMessage__Output, _cluster_v1_ManagerMessage__Output>
}
