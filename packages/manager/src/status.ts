import * as grpc from '@grpc/grpc-js';
import { ClusterError, type ErrorCode } from '@cluster/core';

const STATUS: Record<ErrorCode, grpc.status> = {
  invalid_argument: grpc.status.INVALID_ARGUMENT,
  not_found: grpc.status.NOT_FOUND,
  already_exists: grpc.status.ALREADY_EXISTS,
  failed_precondition: grpc.status.FAILED_PRECONDITION,
  permission_denied: grpc.status.PERMISSION_DENIED,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  unavailable: grpc.status.UNAVAILABLE,
  internal: grpc.status.INTERNAL,
};

/** toServiceError maps any thrown value to a gRPC error; only ClusterError text reaches the client. */
export function toServiceError(err: unknown): grpc.ServiceError {
  if (err instanceof ClusterError) {
    return Object.assign(new Error(err.message), { code: STATUS[err.code], details: err.message, metadata: new grpc.Metadata() });
  }
  const details = 'manager: internal error (see the manager log)';
  return Object.assign(new Error(details), { code: grpc.status.INTERNAL, details, metadata: new grpc.Metadata() });
}

/**
 * endWithStatus ends a server stream with an error status. grpc-js sends the
 * status when the stream emits 'error' and then ends; destroy(err) would
 * close the stream without ever telling the client why.
 */
export function endWithStatus(stream: { emit(event: 'error', err: Error): boolean }, err: grpc.ServiceError | (Error & { code: grpc.status; details: string })): void {
  stream.emit('error', err);
}
