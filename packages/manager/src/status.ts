import * as grpc from '@grpc/grpc-js';
import { ClusterError, type ErrorCode } from '@cluster/core';
import { diskWriteError } from './diskWriteError.js';

const STATUS: Record<ErrorCode, grpc.status> = {
  invalid_argument: grpc.status.INVALID_ARGUMENT,
  not_found: grpc.status.NOT_FOUND,
  already_exists: grpc.status.ALREADY_EXISTS,
  failed_precondition: grpc.status.FAILED_PRECONDITION,
  permission_denied: grpc.status.PERMISSION_DENIED,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  unavailable: grpc.status.UNAVAILABLE,
  timeout: grpc.status.DEADLINE_EXCEEDED,
  resource_exhausted: grpc.status.RESOURCE_EXHAUSTED,
  internal: grpc.status.INTERNAL,
};

/**
 * toServiceError maps any thrown value to a gRPC error; only ClusterError
 * text reaches the client. Anything else answers "internal error (see the
 * manager log)" and keeps the thrown value as the error's cause, which
 * guardService logs (internalCause).
 */
export function toServiceError(err: unknown): grpc.ServiceError {
  // A file the disk refused (a CA file, an image) says so, as the store's writes do.
  const path = (err as { path?: unknown } | null | undefined)?.path;
  if (!(err instanceof ClusterError)) err = diskWriteError(err, typeof path === 'string' ? path : 'the manager\'s data dir') ?? err;
  if (err instanceof ClusterError) {
    return Object.assign(new Error(err.message, { cause: err }), { code: STATUS[err.code], details: err.message, metadata: new grpc.Metadata() });
  }
  const details = 'manager: internal error (see the manager log)';
  return Object.assign(new Error(details, { cause: err }), { code: grpc.status.INTERNAL, details, metadata: new grpc.Metadata() });
}

/** internalCause returns what made a call fail with INTERNAL (the cause toServiceError kept), or undefined for any other outcome. */
export function internalCause(err: unknown): unknown {
  const e = err as { code?: unknown; cause?: unknown } | null | undefined;
  if (!e || e.code !== grpc.status.INTERNAL) return undefined;
  return e.cause ?? err;
}

/**
 * endWithStatus ends a server stream with an error status. grpc-js sends the
 * status when the stream emits 'error' and then ends; destroy(err) would
 * close the stream without ever telling the client why.
 */
export function endWithStatus(stream: { emit(event: 'error', err: Error): boolean }, err: grpc.ServiceError | (Error & { code: grpc.status; details: string })): void {
  stream.emit('error', err);
}
