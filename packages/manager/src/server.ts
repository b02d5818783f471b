import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { experimental } from '@grpc/grpc-js';
import { loadClusterProto, type ControlHandlers, type DispatcherHandlers } from '@cluster/api';
import type { Store } from './store.js';
import type { Logger } from './log.js';
import type { ClusterIdentity } from './identity.js';
import { callerOf, guardService } from './auth/guard.js';
import { authenticator } from './auth/authenticate.js';
import { LiveStreams } from './auth/liveStreams.js';
import { CaRotation, tlsMaterial } from './ca-rotation.js';
import { DynamicCertificateProvider } from './tls-provider.js';
import { Orchestrator } from './orchestrator.js';
import { Dispatcher } from './dispatcher.js';
import { DEFAULT_CHUNK_BYTES } from './assignmentSets.js';
import { DEFAULT_DOWN_AFTER_MS, DEFAULT_HEARTBEAT_MS, DEFAULT_MAX_MESSAGE_BYTES, grpcMessageOptions } from '@cluster/core';
import { ImageStore } from './imageStore.js';
import { secretControlHandlers } from './control-secrets.js';
import { JoinService } from './join.js';
import { controlHandlers } from './control.js';
import { nodeControlHandlers } from './control-nodes.js';
import { securityControlHandlers } from './control-security.js';
import { SecurityLedger } from './ledger.js';
import { Registry } from './registry.js';
import { OverlayAllocator } from './overlayAllocator.js';
import { withSharedEncoding } from './sharedEncoding.js';
import { serverStream } from './rpc.js';

/** ManagerOptions configure a running manager. */
export interface ManagerOptions {
  store: Store;
  identity: ClusterIdentity;
  log: Logger;
  /** listen is `host:port` to serve on; port 0 picks a free one. */
  listen: string;
  /** advertiseHost is the host agents dial; the port is the bound one. */
  advertiseHost: string;
  /** heartbeatMs: agents' heartbeat period. @default DEFAULT_HEARTBEAT_MS (500) */
  heartbeatMs?: number;
  /** downAfterMs: silence after which a node is down. @default DEFAULT_DOWN_AFTER_MS (2500) */
  downAfterMs?: number;
  /** streamGraceMs: a broken session marks its node down after this (longer than an agent restart). @default 1500 */
  streamGraceMs?: number;
  /** engineGraceMs: a node whose engine does not answer is marked down after this (longer than an engine restart). @default 3000 */
  engineGraceMs?: number;
  /** nodeCertTtlMs: lifetime of node certificates. @default 24 h */
  nodeCertTtlMs?: number;
  /** tokenTtlMs: lifetime of join tokens. @default 24 h */
  tokenTtlMs?: number;
  /** imagesDir holds the images built by `cluster deploy` for nodes to fetch. @default none: PushImage and FetchImage are not served */
  imagesDir?: string;
  /** dataDir holds the CA (ca/), which RotateCa replaces. @default none: RotateCa is not served */
  dataDir?: string;
  /** certCheckMs is how often the certificates of open streams are checked again (expiry, revocation, retired CA). @default 1000 */
  certCheckMs?: number;
  /** maxMessageBytes bounds every gRPC message sent and received. @default DEFAULT_MAX_MESSAGE_BYTES (64 MiB) */
  maxMessageBytes?: number;
  /** chunkBytes bounds one assignment message sent to a node (larger sets are cut). @default 4 MiB, at most maxMessageBytes / 2 */
  chunkBytes?: number;
}

/** Manager is a started manager: its servers, loops and bound port. */
export interface Manager {
  port: number;
  advertise: string;
  orchestrator: Orchestrator;
  dispatcher: Dispatcher;
  registry: Registry;
  stop(): Promise<void>;
}

const DAY = 24 * 60 * 60 * 1000;

/** idPool holds random bytes for ids: one call to the generator per 4,096 ids, not one per id (a deploy makes many at once). */
const idPool = { bytes: Buffer.alloc(0), at: 0 };

/** newId makes a task or node id: 12 random lower-case hex characters. */
export function newId(): string {
  if (idPool.at + 6 > idPool.bytes.length) {
    idPool.bytes = randomBytes(6 * 4096);
    idPool.at = 0;
  }
  const id = idPool.bytes.toString('hex', idPool.at, idPool.at + 6);
  idPool.at += 6;
  return id;
}

/** startManager wires the store, orchestrator, dispatcher and gRPC servers. */
export async function startManager(o: ManagerOptions): Promise<Manager> {
  const proto = loadClusterProto();
  const { store, identity, log } = o;
  // The orchestrator tells the dispatcher of task changes; the dispatcher is
  // made after it, so the orchestrator reaches it through this reference.
  const late: { dispatcher?: Dispatcher } = {};
  const overlay = new OverlayAllocator(store, log);
  const registry = new Registry({ store, log, overlay, publish: (u) => late.dispatcher?.publishRegistry(u) });
  const orchestrator = new Orchestrator({
    store,
    log,
    newId,
    onTasks: (c, r) => {
      late.dispatcher?.notify(c, r);
      registry.kick();
    },
  });
  // Whatever asks for an orchestrator pass (status, node, spec change) may change the registry too.
  const kick = (): void => {
    orchestrator.kick();
    registry.kick();
  };
  const ledger = new SecurityLedger(store);
  // Spent-token and issued-key records expire: pruned now and every hour.
  const prune = (): void => {
    try {
      const n = ledger.pruneRecords(Date.now());
      if (n > 0) log.info(`manager: forgot ${n} expired spent-token and issued-key records`);
    } catch (err) {
      log.error('manager: pruning spent-token and issued-key records failed', err);
    }
  };
  prune();
  const pruneTimer = setInterval(prune, 60 * 60 * 1000);
  pruneTimer.unref();
  // The TLS server reads its trust bundle and chain from here; a CA rotation updates them in place.
  const provider = new DynamicCertificateProvider(tlsMaterial(identity));
  const rotation = new CaRotation({
    dataDir: o.dataDir ?? '', store, identity, ledger, log,
    serve: (m) => provider.update(m),
    broadcast: (m) => late.dispatcher?.broadcast(m),
  });
  const join = new JoinService({
    store, identity, ledger, log, newId, nodeCertTtlMs: o.nodeCertTtlMs ?? DAY,
    onJoined: (node) => {
      orchestrator.kickNode(node.id);
      registry.kick();
    },
    onIssued: (nodeId, serial, notAfterMs) => rotation.noteIssued(nodeId, serial, notAfterMs),
  });
  const dispatcher = new Dispatcher({
    store,
    log,
    join,
    kickNode: (id) => {
      orchestrator.kickNode(id);
      registry.kick();
    },
    kickService: (name) => {
      orchestrator.kickService(name);
      registry.kick();
    },
    heartbeatMs: o.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    downAfterMs: o.downAfterMs ?? DEFAULT_DOWN_AFTER_MS,
    streamGraceMs: o.streamGraceMs ?? 1500,
    engineGraceMs: o.engineGraceMs ?? 3000,
    chunkBytes: Math.min(o.chunkBytes ?? DEFAULT_CHUNK_BYTES, Math.floor((o.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES) / 2)),
    registry: () => registry.snapshot(),
    greeting: (nodeId) => rotation.greeting(nodeId),
    overlay,
  });
  late.dispatcher = dispatcher;
  const { authenticate, check } = authenticator({ identity, ledger, store });
  // Certificates are checked when a stream opens and for as long as it runs.
  const live = new LiveStreams({ check, log: (line) => log.warn(line), periodMs: o.certCheckMs ?? 1000 });

  // The ping finds dead connections only (nodes are judged by heartbeats):
  // an agent busy for a few seconds answers late and keeps its session.
  const server = new grpc.Server({ 'grpc.keepalive_time_ms': 10000, 'grpc.keepalive_timeout_ms': 20000, 'grpc.keepalive_permit_without_calls': 1, ...grpcMessageOptions(o.maxMessageBytes) });
  // The CA goes behind the server certificate (tlsMaterial) so a joining node can pin it by digest.
  const creds = experimental.createCertificateProviderServerCredentials(provider, provider, false);
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(o.listen, creds, (err, port) => (err ? reject(err) : resolve(port))),
  );
  let advertise = '';
  const control = controlHandlers({ store, identity, kick, get advertise() { return advertise; }, tokenTtlMs: o.tokenTtlMs ?? DAY, serviceError: (name) => orchestrator.serviceError(name), onPurgeVolumes: (stack) => dispatcher.purgeVolumes(stack) });
  const nodeOps = nodeControlHandlers({ store, kick });
  const secrets = secretControlHandlers({ store });
  const security = securityControlHandlers({
    store, identity, ledger, log, kick,
    disconnect: (id, reason) => dispatcher.disconnect(id, reason),
    get advertise() { return advertise; },
    tokenTtlMs: o.tokenTtlMs ?? DAY,
  });
  const images = o.imagesDir === undefined ? undefined : new ImageStore(o.imagesDir, store, (line) => log.info(line));
  const imageControl = images?.controlHandlers() ?? {};
  const caControl = o.dataDir === undefined ? {} : rotation.handlers();
  const imageFetch: Partial<DispatcherHandlers> = images ? { FetchImage: serverStream((call) => images.fetch(call, callerOf(call).name)) } : {};
  const controlImpl: Partial<ControlHandlers> = { ...control, ...nodeOps, ...secrets, ...security, ...imageControl, ...caControl };
  server.addService(proto.Control.service, guardService(proto.Control.service, controlImpl, authenticate, live, log));
  // A registry update is encoded once for all sessions (sharedEncoding.ts).
  const dispatcherService = withSharedEncoding(proto.Dispatcher.service);
  server.addService(dispatcherService, guardService(dispatcherService, { ...dispatcher.handlers(), ...imageFetch }, authenticate, live, log));
  advertise = `${o.advertiseHost}:${bound}`;
  dispatcher.start();
  live.start();
  registry.start();
  // Images no stack uses any more leave the manager's disk (at start, and after every change of services).
  images?.start();
  orchestrator.kick();
  log.info(`manager: serving on ${o.listen.replace(/:0$/, '')}:${bound}, advertised as ${advertise}`);
  const d = dispatcher;
  return {
    port: bound,
    advertise,
    orchestrator,
    dispatcher: d,
    registry,
    async stop() {
      clearInterval(pruneTimer);
      images?.stop();
      registry.stop();
      live.stop();
      orchestrator.stop();
      d.stop();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      server.forceShutdown();
    },
  };
}
