import { readFileSync } from 'node:fs';
import type { PeerCertificate } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { loadControlProto, type ControlClient } from '@cluster/api';
import { DEFAULT_MAX_MESSAGE_BYTES, grpcMessageOptions } from '@cluster/core';
import { CliError, type Io } from './io.js';
import { readConfig } from './config.js';

// The manager's certificate is checked by chain and role, not by name; a
// fixed server name keeps TLS from being handed an IP address as one.
const TARGET_NAME = { 'grpc.ssl_target_name_override': 'manager' };

/** Control is a promise-returning view of the Control API. */
export interface Control {
  address: string;
  call<Res>(method: keyof ControlClient & string, req: object, timeoutMs?: number): Promise<Res>;
  /** upload sends a client stream of messages and resolves to the one response. */
  upload<Res>(method: keyof ControlClient & string, messages: AsyncIterable<object>): Promise<Res>;
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
  let stub: (ControlClient & Record<string, Function>) | undefined;
  const control = (): ControlClient & Record<string, Function> => {
    stub ??= new (loadControlProto().Control)(address, creds, { ...options, channelOverride: channel.getChannel() }) as unknown as ControlClient & Record<string, Function>;
    return stub;
  };
  return {
    address,
    call<Res>(method: string, req: object, timeoutMs = 10000): Promise<Res> {
      return new Promise<Res>((resolve, reject) => {
        const client = control();
        const fn = client[method] as Function;
        fn.call(client, req, { deadline: Date.now() + timeoutMs }, (err: grpc.ServiceError | null, res: Res) => {
          if (err) reject(explain(err, address));
          else resolve(res);
        });
      });
    },
    async upload<Res>(method: string, messages: AsyncIterable<object>): Promise<Res> {
      let call: grpc.ClientWritableStream<object> | undefined;
      const client = control();
      const done = new Promise<Res>((resolve, reject) => {
        call = (client[method] as Function).call(client, (err: grpc.ServiceError | null, res: Res) => {
          if (err) reject(explain(err, address));
          else resolve(res);
        }) as grpc.ClientWritableStream<object>;
      });
      const stream = call as unknown as grpc.ClientWritableStream<object>;
      try {
        for await (const m of messages) {
          if (!stream.write(m)) await new Promise((resolve) => stream.once('drain', resolve));
        }
        stream.end();
      } catch (err) {
        stream.cancel();
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
export async function listTasks<T>(control: Control, filter: string, all: boolean): Promise<T[]> {
  const out: T[] = [];
  let pageToken = '';
  // Bounded: a page token only moves forward, and 100,000 pages is far beyond any cluster.
  for (let i = 0; i < 100_000; i++) {
    const r = await control.call<{ tasks: T[]; nextPageToken?: string }>('ListTasks', { filter, all, pageSize: TASK_PAGE, pageToken }, 30_000);
    for (const t of r.tasks) out.push(t);
    if (!r.nextPageToken) return out;
    pageToken = r.nextPageToken;
  }
  return out;
}

/** explain turns a gRPC error into one clear line. */
export function explain(err: grpc.ServiceError, address: string): CliError {
  if (err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.DEADLINE_EXCEEDED) {
    return new CliError(`cannot reach the manager at ${address}: ${err.details || err.message} (is it running? see cluster init, or pass --manager ADDR)`);
  }
  if (err.code === grpc.status.UNAUTHENTICATED || err.code === grpc.status.PERMISSION_DENIED) {
    return new CliError(`the manager at ${address} refused: ${err.details}`);
  }
  return new CliError(err.details || err.message);
}
