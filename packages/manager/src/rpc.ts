import type * as grpc from '@grpc/grpc-js';
import { endWithStatus, toServiceError } from './status.js';

/**
 * unary makes a grpc unary handler of `fn`, which takes the decoded request
 * (and the call, for callerOf or the peer) and returns the response or a
 * promise of it. Whatever `fn` throws or rejects with is answered through
 * toServiceError: a ClusterError's code becomes the gRPC status, anything
 * else INTERNAL. Give the result the generated `…Handlers` type (for example
 * `Pick<ControlHandlers, 'ListNodes'>`): the request and response types then
 * come from proto/.
 */
export function unary<Req, Res>(fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Res | Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, cb) => {
    Promise.resolve()
      .then(() => fn(call.request, call))
      .then((r) => cb(null, r), (err: unknown) => cb(toServiceError(err)));
  };
}

/**
 * serverStream makes a grpc handler of a server-streaming or bidirectional
 * RPC from `fn`, which writes to (and reads from) the call. A throw or
 * rejection of `fn` ends the stream with the status toServiceError gives it
 * (ending a stream with destroy() would never tell the client why).
 */
export function serverStream<Call extends grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>>(
  fn: (call: Call) => void | Promise<void>,
): (call: Call) => void {
  return (call) => {
    Promise.resolve()
      .then(() => fn(call))
      .catch((err: unknown) => endWithStatus(call, toServiceError(err)));
  };
}
