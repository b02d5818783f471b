import { readFileSync } from 'node:fs';
import type { PeerCertificate } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { loadControlProto, unaryCall, type ControlClient, type ControlRequest, type ControlResponse, type ControlUnary, type ImageChunk, type PushImageResponse__Output, type Task__Output } from '@cluster/api';
import { DEFAULT_MAX_MESSAGE_BYTES, grpcMessageOptions, parseTimeout } from '@cluster/core';
import { CliError, type Io } from './io.js';
import { readConfig } from './config.js';

// The manager's certificate is checked by chain and role, not by name; a
// fixed server name keeps TLS from being handed an IP address as one.
const TARGET_NAME = { 'grpc.ssl_target_name_override': 'manager' };

/**
 * ClientDeadlines are how long the CLI waits for the manager, in two parts
 * so that a busy host is told apart from a manager that is not there.
 */
export interface ClientDeadlines {
  /** connectMs bounds connecting (TCP and TLS) before each call; env CLUSTER_CONNECT_TIMEOUT. @default 10000 */
  connectMs: number;
  /** callMs bounds one call once connected; env CLUSTER_CALL_TIMEOUT. @default 30000 */
  callMs: number;
}

/** DEFAULT_DEADLINES are the deadlines without CLUSTER_CONNECT_TIMEOUT or CLUSTER_CALL_TIMEOUT. */
export const DEFAULT_DEADLINES: ClientDeadlines = { connectMs: 10000, callMs: 30000 };

/** deadlinesFrom reads CLUSTER_CONNECT_TIMEOUT and CLUSTER_CALL_TIMEOUT (like 10s, 1500ms, 2m; a bare number is seconds). */
export function deadlinesFrom(env: Record<string, string | undefined>): ClientDeadlines {
  const read = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const ms = parseTimeout(text);
    if (ms === undefined || ms < 1) throw new CliError(`${name}: invalid duration "${text}" (like 10s, 1500ms, 2m)`);
    return ms;
  };
  return { connectMs: read('CLUSTER_CONNECT_TIMEOUT', DEFAULT_DEADLINES.connectMs), callMs: read('CLUSTER_CALL_TIMEOUT', DEFAULT_DEADLINES.callMs) };
}

/** seconds formats a deadline for a message: 10s, 1.5s. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/** Control is a promise-returning view of the Control API, typed by the generated definitions. */
export interface Control {
  address: string;
  /** call connects (within the connect deadline) and makes one call (within `timeoutMs`, by default the call deadline). */
  call<M extends ControlUnary>(method: M, req: ControlRequest<M>, timeoutMs?: number): Promise<ControlResponse<M>>;
  /** upload sends an image as a PushImage stream of chunks and resolves to the one response. */
  upload(method: 'PushImage', messages: AsyncIterable<ImageChunk>): Promise<PushImageResponse__Output>;
  close(): void;
}

/**
 * connectControl opens a Control client from CLUSTER_HOME (or --manager) and
 * starts connecting at once: the TLS handshake goes on while the caller
 * prepares its request (the protos are loaded at the first call, over the
 * same channel).
 */
export function connectControl(io: Io, managerOverride?: string): Control {
  const cfg = readConfig(io);
  const address = managerOverride || cfg.manager;
  let ca: Buffer, key: Buffer, cert: Buffer;
  try {
    ca = readFileSync(cfg.caFile);
    key = readFileSync(cfg.keyFile);
    cert = readFileSync(cfg.certFile);
  } catch (err) {
    throw new CliError(`cannot read the admin credentials: ${(err as Error).message} (run cluster init again)`);
  }
  const creds = grpc.credentials.createSsl(ca, key, cert, {
    checkServerIdentity: (_host: string, c: PeerCertificate) => {
      const ou = c.subject?.OU;
      return (Array.isArray(ou) ? ou : [ou]).includes('manager') ? undefined : new Error('the server is not a manager of this cluster');
    },
  });
  const options = { ...TARGET_NAME, ...grpcMessageOptions(maxMessageBytes(io)) };
  const channel = new grpc.Client(address, creds, options);
  channel.getChannel().getConnectivityState(true);
  let stub: ControlClient | undefined;
  const control = (): ControlClient => {
    stub ??= new (loadControlProto().Control)(address, creds, { ...options, channelOverride: channel.getChannel() });
    return stub;
  };
  const deadlines = deadlinesFrom(io.env);
  /** invoke makes one unary call with a deadline; it rejects with the grpc.ServiceError. */
  const invoke = <M extends ControlUnary>(method: M, req: ControlRequest<M>, ms: number): Promise<ControlResponse<M>> =>
    unaryCall(control(), loadControlProto().Control.service, method, req, { deadline: Date.now() + ms });
  /**
   * connected waits until the channel is connected. A refused or failed
   * connection fails at once with its reason; one still being made when the
   * connect deadline passes fails naming that deadline.
   */
  const connected = async (): Promise<void> => {
    const ch = channel.getChannel();
    const deadline = Date.now() + deadlines.connectMs;
    let state = ch.getConnectivityState(true);
    for (let i = 0; i < 1000 && state !== grpc.connectivityState.READY; i++) {
      if (state === grpc.connectivityState.TRANSIENT_FAILURE || state === grpc.connectivityState.SHUTDOWN) {
        // A call on a channel in failure returns at once with the last connection error: the reason to show.
        const why = await invoke('ListNodes', {}, 1000).then(() => '', (err: grpc.ServiceError) => err.details || err.message);
        if (why === '') return;
        throw new CliError(`cannot reach the manager at ${address}: ${why} (is it running? see cluster init, or pass --manager ADDR)`);
      }
      const changed = await new Promise<boolean>((resolve) => ch.watchConnectivityState(state, deadline, (err) => resolve(!err)));
      if (!changed) {
        throw new CliError(`cannot reach the manager at ${address}: not connected within ${seconds(deadlines.connectMs)} (the connect deadline, CLUSTER_CONNECT_TIMEOUT; the host may be busy) (is it running? see cluster init, or pass --manager ADDR)`);
      }
      state = ch.getConnectivityState(true);
    }
  };
  return {
    address,
    async call<M extends ControlUnary>(method: M, req: ControlRequest<M>, timeoutMs = deadlines.callMs): Promise<ControlResponse<M>> {
      await connected();
      try {
        return await invoke(method, req, timeoutMs);
      } catch (err) {
        const e = err as grpc.ServiceError;
        if (e.code === grpc.status.DEADLINE_EXCEEDED) {
          throw new CliError(`the manager at ${address} did not answer ${method} within ${seconds(timeoutMs)} (the call deadline, CLUSTER_CALL_TIMEOUT; connecting worked): it may be busy; try again, or set CLUSTER_CALL_TIMEOUT higher`);
        }
        throw explain(e, address);
      }
    },
    async upload(_method: 'PushImage', messages: AsyncIterable<ImageChunk>): Promise<PushImageResponse__Output> {
      await connected();
      let stream: grpc.ClientWritableStream<ImageChunk> | undefined;
      const done = new Promise<PushImageResponse__Output>((resolve, reject) => {
        stream = control().PushImage((err, res) => {
          if (err || !res) reject(explain(err ?? Object.assign(new Error('push image: no answer'), { code: grpc.status.INTERNAL, details: 'push image: no answer', metadata: new grpc.Metadata() }), address));
          else resolve(res);
        });
      });
      const up = stream as unknown as grpc.ClientWritableStream<ImageChunk>;
      try {
        for await (const m of messages) {
          if (!up.write(m)) await new Promise((resolve) => up.once('drain', resolve));
        }
        up.end();
      } catch (err) {
        up.cancel();
        throw err;
      }
      return done;
    },
    close: () => channel.close(),
  };
}

/**
 * maxMessageBytes is the CLI's gRPC message bound: CLUSTER_MAX_MESSAGE_BYTES,
 * or DEFAULT_MAX_MESSAGE_BYTES (64 MiB). Listings come in pages far below it.
 */
function maxMessageBytes(io: Io): number {
  const text = io.env.CLUSTER_MAX_MESSAGE_BYTES;
  if (text === undefined || text === '') return DEFAULT_MAX_MESSAGE_BYTES;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1024 * 1024) throw new CliError(`CLUSTER_MAX_MESSAGE_BYTES: invalid "${text}" (bytes, at least 1048576)`);
  return n;
}

/** TASK_PAGE is how many tasks the CLI asks for per ListTasks call. */
const TASK_PAGE = 5000;

/**
 * listTasks reads every task matching a filter, page by page (a listing of
 * 200,000 tasks is about 30 MB: too much for one message).
 */
export async function listTasks(control: Control, filter: string, all: boolean): Promise<Task__Output[]> {
  const out: Task__Output[] = [];
  let pageToken = '';
  // Bounded: a page token only moves forward, and 100,000 pages is far beyond any cluster.
  for (let i = 0; i < 100_000; i++) {
    const r = await control.call('ListTasks', { filter, all, pageSize: TASK_PAGE, pageToken });
    for (const t of r.tasks) out.push(t);
    if (!r.nextPageToken) return out;
    pageToken = r.nextPageToken;
  }
  return out;
}

/** present returns a message field the manager always sets (proto3 message fields decode as null when absent); `what` names it in the error. */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new CliError(`${what}: missing from the manager's answer (a manager of another version?)`);
  return value;
}

/** explain turns a gRPC error into one clear line (a call that ran out of time is explained by call()). */
export function explain(err: grpc.ServiceError, address: string): CliError {
  if (err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.DEADLINE_EXCEEDED) {
    return new CliError(`lost the connection to the manager at ${address}: ${err.details || err.message} (is it running? see cluster init, or pass --manager ADDR)`, 1, err.code);
  }
  if (err.code === grpc.status.UNAUTHENTICATED || err.code === grpc.status.PERMISSION_DENIED) {
    return new CliError(`the manager at ${address} refused: ${err.details}`, 1, err.code);
  }
  return new CliError(err.details || err.message, 1, err.code);
}
