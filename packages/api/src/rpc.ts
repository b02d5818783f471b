import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { ControlDefinition, ControlHandlers } from './generated/cluster/v1/Control.js';
import type { DispatcherDefinition, DispatcherHandlers } from './generated/cluster/v1/Dispatcher.js';

/**
 * Known keeps the named members of a generated interface and drops the index
 * signature it inherits from grpc's untyped service types (so `keyof` lists
 * the RPCs only).
 */
type Known<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/** UnaryNames are the names of the unary RPCs among a service's generated handlers. */
export type UnaryNames<H> = { [K in keyof Known<H>]: Known<H>[K] extends grpc.handleUnaryCall<infer _Req, infer _Res> ? K : never }[keyof Known<H>] & string;

/** RequestOf is the request message (input form: every field optional) of RPC `K` of service definition `D`. */
export type RequestOf<D, K extends keyof D> = D[K] extends MethodDefinition<infer Req, infer _Res, infer _ReqOut, infer _ResOut> ? Req : never;

/** ResponseOf is the response message of RPC `K` as a client receives it (output form: every field present). */
export type ResponseOf<D, K extends keyof D> = D[K] extends MethodDefinition<infer _Req, infer _Res, infer _ReqOut, infer ResOut> ? ResOut : never;

/** ControlUnary names the unary RPCs of the Control service. */
export type ControlUnary = UnaryNames<ControlHandlers>;
/** ControlRequest is the request message of Control RPC `K`. */
export type ControlRequest<K extends keyof ControlDefinition> = RequestOf<ControlDefinition, K>;
/** ControlResponse is the response message of Control RPC `K`, as received. */
export type ControlResponse<K extends keyof ControlDefinition> = ResponseOf<ControlDefinition, K>;

/** DispatcherUnary names the unary RPCs of the Dispatcher service. */
export type DispatcherUnary = UnaryNames<DispatcherHandlers>;
/** DispatcherRequest is the request message of Dispatcher RPC `K`. */
export type DispatcherRequest<K extends keyof DispatcherDefinition> = RequestOf<DispatcherDefinition, K>;
/** DispatcherResponse is the response message of Dispatcher RPC `K`, as received. */
export type DispatcherResponse<K extends keyof DispatcherDefinition> = ResponseOf<DispatcherDefinition, K>;

/**
 * unaryCall makes one unary call of RPC `method` of service `def` on
 * `client` and resolves to the response; a failed call rejects with the
 * grpc.ServiceError. The request and response types come from the generated
 * definition, so a field renamed in proto/ breaks every caller at compile time.
 */
export function unaryCall<D extends grpc.ServiceDefinition, K extends keyof D & string>(
  client: grpc.Client,
  def: D,
  method: K,
  req: RequestOf<D, K>,
  options: grpc.CallOptions = {},
): Promise<ResponseOf<D, K>> {
  const m = def[method] as unknown as MethodDefinition<RequestOf<D, K>, unknown, unknown, ResponseOf<D, K>>;
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(m.path, m.requestSerialize, m.responseDeserialize, req, options, (err, res) => {
      if (err) reject(err);
      else resolve(res as ResponseOf<D, K>);
    });
  });
}
