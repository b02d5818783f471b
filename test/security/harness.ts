import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadClusterProto, unaryCall, type AgentMessage, type ControlClient, type ControlRequest, type ControlResponse, type DispatcherClient, type ManagerMessage__Output, type ControlUnary, type DispatcherRequest, type DispatcherResponse, type DispatcherUnary } from '@cluster/api';
import { grpcMessageOptions } from '@cluster/core';
import { SecurityLedger, SqliteStore, type Store, loadOrCreateStoreKey, issueAdmin, loadOrCreateIdentity, startManager, type AdminCredentials, type ClusterIdentity, type Logger, type Manager } from '@cluster/manager';

const DAY = 24 * 60 * 60 * 1000;

/** Peer is what a test client presents: the CA it trusts and, optionally, its own key and certificate. */
export interface Peer {
  caPem: string;
  certPem?: string;
  keyPem?: string;
}

/** TestManager is a real manager in this process on 127.0.0.1, port 0, with a temporary data dir. */
export interface TestManager {
  dir: string;
  address: string;
  store: Store;
  identity: ClusterIdentity;
  admin: AdminCredentials;
  manager: Manager;
  /** logs holds every line the manager logged. */
  logs: string[];
  stop(): Promise<void>;
}

/** startTestManager creates a cluster (CA, token secret, admin credentials) and serves it. */
export async function startTestManager(o: { nodeCertTtlMs?: number; images?: boolean; engineGraceMs?: number; before?: (storePath: string) => void } = {}): Promise<TestManager> {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-security-'));
  // before writes what a store from before holds (the manager that wrote it is gone).
  o.before?.(join(dir, 'store.db'));
  const store = SqliteStore.open(join(dir, 'store.db'), { sealKey: loadOrCreateStoreKey(dir) });
  const now = new Date();
  const { identity } = await loadOrCreateIdentity(dir, store, { addresses: ['127.0.0.1'], now, serverCertTtlMs: DAY });
  const admin = await issueAdmin(identity, 'admin', now, DAY);
  new SecurityLedger(store).recordAdmin(new X509Certificate(admin.certPem).serialNumber.toLowerCase(), 'admin');
  const logs: string[] = [];
  const line = (level: string) => (msg: string, ...extra: unknown[]): void => {
    logs.push(`${level} ${msg} ${extra.map((e) => (e instanceof Error ? e.stack ?? e.message : JSON.stringify(e))).join(' ')}`);
  };
  const log: Logger = { info: line('info'), warn: line('warn'), error: line('error') };
  const manager = await startManager({
    store,
    identity,
    log,
    listen: '127.0.0.1:0',
    advertiseHost: '127.0.0.1',
    dataDir: dir,
    heartbeatMs: 200,
    downAfterMs: 5000,
    streamGraceMs: 300,
    ...(o.nodeCertTtlMs === undefined ? {} : { nodeCertTtlMs: o.nodeCertTtlMs }),
    ...(o.images === true ? { imagesDir: join(dir, 'images') } : {}),
    ...(o.engineGraceMs === undefined ? {} : { engineGraceMs: o.engineGraceMs }),
  });
  return {
    dir,
    address: `127.0.0.1:${manager.port}`,
    store,
    identity,
    admin,
    manager,
    logs,
    async stop() {
      await manager.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** checkManager accepts only a manager's certificate, as the CLI and agents do. */
function checkManager(_host: string, cert: { subject?: { OU?: string | string[] } }): Error | undefined {
  const ou = cert.subject?.OU;
  return (Array.isArray(ou) ? ou : [ou]).includes('manager') ? undefined : new Error('not a manager');
}

function credentials(peer: Peer): grpc.ChannelCredentials {
  const key = peer.keyPem === undefined ? null : Buffer.from(peer.keyPem);
  const cert = peer.certPem === undefined ? null : Buffer.from(peer.certPem);
  return grpc.credentials.createSsl(Buffer.from(peer.caPem), key, cert, { checkServerIdentity: checkManager });
}

/** client opens a Control or Dispatcher client presenting `peer`, typed by the generated client interfaces. */
export function client(service: 'Control', address: string, peer: Peer): ControlClient;
export function client(service: 'Dispatcher', address: string, peer: Peer): DispatcherClient;
export function client(service: 'Control' | 'Dispatcher', address: string, peer: Peer): ControlClient | DispatcherClient;
export function client(service: 'Control' | 'Dispatcher', address: string, peer: Peer): ControlClient | DispatcherClient {
  const proto = loadClusterProto();
  // Messages as large as an agent and the CLI take (the manager's assignment chunks and pages stay far below).
  const options = { 'grpc.ssl_target_name_override': 'manager', ...grpcMessageOptions() };
  return service === 'Control' ? new proto.Control(address, credentials(peer), options) : new proto.Dispatcher(address, credentials(peer), options);
}

/**
 * call makes one unary call on a fresh client and closes it; a refusal
 * rejects with the grpc.ServiceError. Requests and answers are typed by the
 * generated definitions (unaryCall).
 */
export async function call<M extends ControlUnary>(service: 'Control', address: string, peer: Peer, method: M, req: ControlRequest<M>): Promise<ControlResponse<M>>;
export async function call<M extends DispatcherUnary>(service: 'Dispatcher', address: string, peer: Peer, method: M, req: DispatcherRequest<M>): Promise<DispatcherResponse<M>>;
export async function call(service: 'Control' | 'Dispatcher', address: string, peer: Peer, method: ControlUnary | DispatcherUnary, req: object): Promise<unknown> {
  const c = client(service, address, peer);
  const def: grpc.ServiceDefinition = loadClusterProto()[service].service;
  try {
    return await unaryCall(c, def, method, req as never, { deadline: Date.now() + 10000 });
  } finally {
    c.close();
  }
}

/** refusal returns a predicate for assert.rejects: a gRPC error with this code and details. */
export function refusal(code: grpc.status, details: RegExp) {
  return (err: unknown): boolean => {
    const e = err as grpc.ServiceError;
    if (e.code !== code) throw new Error(`expected code ${grpc.status[code]}, got ${grpc.status[e.code]}: ${e.details}`);
    if (!details.test(e.details)) throw new Error(`details ${JSON.stringify(e.details)} do not match ${details}`);
    return true;
  };
}

/** SessionProbe is a raw node session: hello sent; resolves `accepted` or `ended`. */
export interface SessionProbe {
  stream: grpc.ClientDuplexStream<AgentMessage, ManagerMessage__Output>;
  accepted: Promise<string>;
  /** ended resolves with the status that closed the stream. */
  ended: Promise<{ code: grpc.status; details: string }>;
  close(): void;
}

/** openSession opens a Session as a node and sends a hello reporting `observed` statuses; `hello` overrides its other fields. */
export function openSession(address: string, peer: Peer, observed: object[] = [], hello: object = {}): SessionProbe {
  const c = client('Dispatcher', address, peer);
  const stream = c.Session();
  const accepted = new Promise<string>((resolve) => {
    stream.on('data', (m: { msg?: string; accepted?: { nodeId: string } }) => {
      if (m.msg === 'accepted' && m.accepted) resolve(m.accepted.nodeId);
    });
  });
  const ended = new Promise<{ code: grpc.status; details: string }>((resolve) => {
    stream.on('error', (e: grpc.ServiceError) => resolve({ code: e.code, details: e.details }));
    stream.on('status', (s: grpc.StatusObject) => resolve({ code: s.code, details: s.details }));
  });
  stream.write({ hello: { hostname: '', advertiseAddress: '127.0.0.1', engineVersion: 'test', nanoCpus: 1e9, memoryBytes: 1e9, observed, ...hello } });
  return { stream, accepted, ended, close: () => { stream.cancel(); c.close(); } };
}

/** within rejects if `p` does not settle in `ms`. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms).unref())]);
}
