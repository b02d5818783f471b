/** ErrorCode names every kind of failure the project reports. */
export type ErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'already_exists'
  | 'failed_precondition'
  | 'permission_denied'
  | 'unauthenticated'
  | 'unavailable'
  /** timeout: a call got no answer within its deadline (an engine stuck or overloaded); usually retryable. */
  | 'timeout'
  /** resource_exhausted: out of a resource, such as the manager's disk; the same call may work later. */
  | 'resource_exhausted'
  | 'internal';

/** ClusterErrorOptions are the optional parts of a ClusterError. */
export interface ClusterErrorOptions {
  cause?: unknown;
  /** retryable says whether the same call may succeed later. @default false */
  retryable?: boolean;
}

/** ClusterError is the one error type: a code, a message and an optional cause. */
export class ClusterError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  constructor(code: ErrorCode, message: string, options: ClusterErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClusterError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}
