import * as grpc from '@grpc/grpc-js';
import { RPC_ROLES } from './roles.js';
import { endWithStatus, internalCause } from '../status.js';
import type { LiveStreams } from './liveStreams.js';
import type { Logger } from '../log.js';
import type { Authenticate, Caller } from './caller.js';

type AnyCall = {
  getAuthContext(): { sslPeerCertificate?: { raw?: Buffer } } | null;
  getPath(): string;
};

/**
 * guardService wraps every handler of a service (typed by the generated
 * `…Handlers`; one left out answers UNIMPLEMENTED) so that it runs only for a
 * caller whose kind RPC_ROLES allows; the handler reads the caller with
 * callerOf(call). A refused unary call answers PERMISSION_DENIED or
 * UNAUTHENTICATED; a refused stream is ended with that status. An admitted
 * stream of an authenticated caller is handed to `live`, which checks its
 * certificate again for as long as it runs.
 * A unary call that fails with INTERNAL has its cause written to `log`:
 * the client is told only to see the manager log, so the log must say why.
 */
export function guardService<H extends { [name: string]: grpc.UntypedHandleCall | undefined }>(
  service: grpc.ServiceDefinition,
  handlers: H,
  authenticate: Authenticate,
  live?: LiveStreams,
  log?: Logger,
): grpc.UntypedServiceImplementation {
  const out: grpc.UntypedServiceImplementation = {};
  for (const [name, def] of Object.entries(service)) {
    const impl = handlers[name] as ((...args: unknown[]) => unknown) | undefined;
    const path = def.path;
    const streaming = def.requestStream || def.responseStream;
    out[name] = ((call: AnyCall & Record<string, unknown>, callback?: grpc.sendUnaryData<unknown>) => {
      const refusal = admit(path, call, authenticate);
      if (refusal) {
        const err = Object.assign(new Error(refusal.details), refusal);
        if (callback) callback(err);
        else endWithStatus(call as unknown as grpc.ServerDuplexStream<unknown, unknown>, err);
        return;
      }
      const caller = callers.get(call);
      if (live && streaming && caller && caller.kind !== 'anonymous') live.add(call as unknown as Parameters<LiveStreams['add']>[0], caller);
      if (!impl) {
        const err = Object.assign(new Error(`${path}: not served`), { code: grpc.status.UNIMPLEMENTED, details: `${path}: not served` });
        if (callback) callback(err);
        else endWithStatus(call as unknown as grpc.ServerDuplexStream<unknown, unknown>, err);
        return;
      }
      const answer: grpc.sendUnaryData<unknown> | undefined = callback && ((err, value) => {
        const cause = internalCause(err);
        if (cause !== undefined) log?.error(`${path}: internal error:`, cause);
        callback(err, value);
      });
      return impl.call(handlers, call, answer);
    }) as unknown as grpc.UntypedHandleCall;
  }
  return out;
}

const callers = new WeakMap<object, Caller>();

/** callerOf returns the authenticated caller of a call admitted by guardService. */
export function callerOf(call: object): Caller {
  const c = callers.get(call);
  if (!c) throw new Error('callerOf: call was not admitted by guardService');
  return c;
}

function admit(path: string, call: AnyCall & object, authenticate: Authenticate): { code: grpc.status; details: string } | undefined {
  const allowed = RPC_ROLES[path];
  if (!allowed || allowed.length === 0) {
    return { code: grpc.status.PERMISSION_DENIED, details: `${path}: no role may call this method` };
  }
  const raw = call.getAuthContext()?.sslPeerCertificate?.raw;
  let caller: Caller;
  if (!raw) {
    caller = { kind: 'anonymous', name: '', certRole: '' };
  } else {
    const who = authenticate(raw);
    if ('error' in who) return { code: grpc.status.UNAUTHENTICATED, details: who.error };
    caller = who;
  }
  if (!allowed.includes(caller.kind)) {
    if (caller.kind === 'anonymous') {
      return {
        code: grpc.status.UNAUTHENTICATED,
        details: `${path} needs a certificate of this cluster (none was presented, or it is expired or signed by another CA)`,
      };
    }
    return { code: grpc.status.PERMISSION_DENIED, details: `${path}: a ${caller.kind} certificate (${caller.certRole} ${caller.name}) may not call this method` };
  }
  callers.set(call, caller);
  return undefined;
}
