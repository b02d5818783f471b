import { PassThrough } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { loadClusterProto, type AgentMessage, type AssignmentSet__Output, type CaUpdate__Output, type ManagerMessage__Output, type RegistryUpdate__Output, type Task__Output, type TaskStatus } from '@cluster/api';
import { DEFAULT_HEARTBEAT_MS, decodeServiceSpec, grpcMessageOptions, type ServiceSpec, type Task, type TaskState } from '@cluster/core';
import type { Assignment, Observation } from './executor.js';
import type { VolumePurger } from './volumePurger.js';
import type { Worker } from './worker.js';
import { checkManagerIdentity } from './join.js';

type DispatcherClient = InstanceType<ReturnType<typeof loadClusterProto>['Dispatcher']>;

/** SessionOptions configure an agent's session with the manager. */
export interface SessionOptions {
  manager: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  worker: Worker;
  hello: () => { hostname: string; advertiseAddress: string; engineVersion: string; nanoCpus: number; memoryBytes: number };
  log: (msg: string) => void;
  /** onState is told when the session opens or ends. */
  onState?: (s: { connected: boolean; nodeId: string; lastError: string }) => void;
  /** onRegistry receives the service registry: a FULL snapshot per session, then INCREMENTAL changes. */
  onRegistry?: (update: RegistryUpdate__Output) => void;
  /** volumes deletes the volumes of stacks removed with `--volumes`. @default volumes are never deleted */
  volumes?: VolumePurger;
  /** onCaUpdate is told of a new cluster CA (see ca-update.ts). @default ignored */
  onCaUpdate?: (update: CaUpdate__Output) => void;
  /** maxBackoffMs bounds the wait between reconnects. @default 2000 */
  maxBackoffMs?: number;
  /** maxMessageBytes bounds a gRPC message to and from the manager. @default DEFAULT_MAX_MESSAGE_BYTES (64 MiB) */
  maxMessageBytes?: number;
  /** onOverlayIndex is told the node's overlay index when a session is accepted (0: no overlay). @default ignored */
  onOverlayIndex?: (index: number) => void;
}

/**
 * Session keeps one stream to the manager open, reconnecting with backoff:
 * hello (with what runs now), heartbeats, task status up; assignments down.
 * Containers keep running while the manager is away.
 */
export class Session {
  private readonly o: SessionOptions;
  private client: DispatcherClient;
  private caPem: string;
  private identity: { certPem: string; keyPem: string };
  // Clients made with an older certificate, closed once their session ends.
  private retired: DispatcherClient[] = [];
  private call: grpc.ClientDuplexStream<AgentMessage, ManagerMessage__Output> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private stopped = false;
  private backoff = 100;
  private pending: Observation[] = [];
  /** specs parses the assignments' spec text once per service version. */
  private readonly specs = new SpecCache();
  /** partial holds the messages of an assignment set received so far, until its last (`more` false). */
  private partial: AssignmentSet__Output[] = [];
  /** nodeId is set once the manager accepted the session. */
  nodeId = '';
  /** connected tells whether a session is open and accepted. */
  connected = false;
  /** lastError is why the last session ended. */
  lastError = '';
  /** engineError is why the node's engine does not answer ('' while it answers), told to the manager. */
  private engineError = '';
  /** dataDirError is why the agent cannot write its data dir ('' while it can), told to the manager. */
  private dataDirError = '';

  constructor(o: SessionOptions) {
    this.o = o;
    this.caPem = o.caPem;
    this.identity = { certPem: o.certPem, keyPem: o.keyPem };
    this.client = this.connect(o.certPem, o.keyPem);
  }

  /**
   * useCa makes later connections trust `caPem` (one or more CA
   * certificates) for the manager; the session open now is untouched.
   */
  useCa(caPem: string): void {
    this.caPem = caPem;
    this.useCertificate(this.identity.certPem, this.identity.keyPem);
  }

  /**
   * useCertificate makes later connections present a renewed certificate.
   * The session open now goes on over its own connection, untouched.
   */
  useCertificate(certPem: string, keyPem: string): void {
    this.identity = { certPem, keyPem };
    const old = this.client;
    this.client = this.connect(certPem, keyPem);
    if (this.call) this.retired.push(old);
    else old.close();
  }

  private connect(certPem: string, keyPem: string): DispatcherClient {
    const proto = loadClusterProto();
    const creds = grpc.credentials.createSsl(Buffer.from(this.caPem), Buffer.from(keyPem), Buffer.from(certPem), { checkServerIdentity: checkManagerIdentity });
    return new proto.Dispatcher(this.o.manager, creds, {
      // Names are not checked (checkManagerIdentity checks the role); a
      // fixed name keeps TLS from being handed an IP address as server name.
      'grpc.ssl_target_name_override': 'manager',
      // A ping is answered when the manager reads the connection: a manager
      // busy for seconds (a pass over a deploy of many thousand tasks on
      // loaded cores) answers late, and a timeout of 3 s ended every session
      // at once when it did (nodes marked down, their tasks moved). The
      // manager judges nodes by heartbeats; this only finds a dead connection.
      'grpc.keepalive_time_ms': 5000,
      'grpc.keepalive_timeout_ms': 15000,
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': this.o.maxBackoffMs ?? 2000,
      ...grpcMessageOptions(this.o.maxMessageBytes),
    });
  }

  start(): void {
    this.open();
  }

  /**
   * engine tells the manager that the node's engine stopped answering (why)
   * or answers again (''); a session opened later says it in its hello.
   */
  engine(error: string): void {
    if (error === this.engineError) return;
    this.engineError = error;
    if (this.call && this.connected) this.call.write({ engine: { error } });
  }

  /**
   * dataDir tells the manager that the agent's data dir stopped taking
   * writes (why) or takes them again (''); a session opened later says it in
   * its hello.
   */
  dataDir(error: string): void {
    if (error === this.dataDirError) return;
    this.dataDirError = error;
    if (this.call && this.connected) this.call.write({ dataDir: { error } });
  }

  /** report sends task observations now, or with the next hello if no session is open. */
  report(batch: Observation[]): void {
    if (this.call && this.connected) this.call.write({ status: { statuses: batch.map(toApiStatus) } });
    else this.pending.push(...batch);
  }

  /**
   * fetchImage opens a stream of an image the manager holds (built by `cluster
   * deploy`), as the bytes of a `docker save` archive; it errors with NOT_FOUND
   * when the manager has none of that name.
   */
  fetchImage(name: string): NodeJS.ReadableStream {
    const call = this.client.FetchImage({ name });
    const out = new PassThrough();
    call.on('data', (chunk: { data: Buffer }) => {
      if (!out.write(chunk.data)) {
        call.pause();
        out.once('drain', () => call.resume());
      }
    });
    call.on('end', () => out.end());
    call.on('error', (err: Error) => out.destroy(err));
    return out;
  }

  stop(): void {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.reconnect) clearTimeout(this.reconnect);
    this.call?.cancel();
    this.client.close();
    for (const c of this.retired.splice(0)) c.close();
  }

  private open(): void {
    if (this.stopped) return;
    const call = this.client.Session();
    this.call = call;
    const hello = this.o.hello();
    this.pending = [];
    this.partial = [];
    call.write({ hello: { ...hello, observed: this.o.worker.observations().map(toApiStatus), engineError: this.engineError, dataDirError: this.dataDirError } });
    call.on('data', (m: ManagerMessage__Output) => {
      if (m.msg === 'accepted' && m.accepted) {
        this.connected = true;
        this.backoff = 100;
        this.nodeId = m.accepted.nodeId;
        this.o.onOverlayIndex?.(m.accepted.overlayIndex);
        if (this.heartbeat) clearInterval(this.heartbeat);
        this.heartbeat = setInterval(() => call.write({ heartbeat: {} }), m.accepted.heartbeatPeriodMs || DEFAULT_HEARTBEAT_MS);
        this.o.log(`session: accepted as node ${m.accepted.nodeId}`);
        this.o.onState?.({ connected: true, nodeId: this.nodeId, lastError: '' });
        if (this.pending.length > 0) this.report(this.pending.splice(0));
      } else if (m.msg === 'caUpdate' && m.caUpdate) {
        this.o.onCaUpdate?.(m.caUpdate);
      } else if (m.msg === 'registry' && m.registry) {
        this.o.onRegistry?.(m.registry);
      } else if (m.msg === 'assignments' && m.assignments) {
        // A set cut into several messages is applied once, when its last message arrives.
        this.partial.push(m.assignments);
        if (m.assignments.more) return;
        const parts = this.partial.splice(0);
        const a = m.assignments;
        const tasks: Assignment[] = [];
        const removed: string[] = [];
        for (const part of parts) {
          const specs = new Map(part.specs.map((x) => [`${x.service}|${x.specVersion}`, x.specJson]));
          for (const t of part.tasks) {
            const text = t.specJson || specs.get(`${t.service}|${t.specVersion}`);
            if (text === undefined) this.o.log(`session: assignment of task ${t.id} came without the spec of ${t.service} version ${t.specVersion}`);
            tasks.push(toAssignment(t, this.specs.parse(text ?? '')));
          }
          removed.push(...part.removed);
        }
        // A stack deployed again keeps its volumes; one removed with --volumes loses them once its containers are gone.
        this.o.volumes?.keep(tasks.filter((t) => t.task.desiredState === 'running').map((t) => t.task.stack));
        if (a.purgeVolumes.length > 0) this.o.volumes?.purge(a.purgeVolumes);
        const done = a.type === 'FULL' ? this.o.worker.setAssignments(tasks) : this.o.worker.applyChanges(tasks, removed);
        done.catch((err: unknown) => this.o.log(`session: applying assignments failed: ${String(err)}`));
      }
    });
    const ended = (why: string): void => {
      if (this.call !== call) return;
      this.call = undefined;
      this.connected = false;
      for (const c of this.retired.splice(0)) c.close();
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.lastError = why;
      this.o.onState?.({ connected: false, nodeId: this.nodeId, lastError: why });
      if (this.stopped) return;
      this.o.log(`session: ended (${why}); reconnecting in ${this.backoff} ms`);
      this.reconnect = setTimeout(() => this.open(), this.backoff);
      this.backoff = Math.min(this.backoff * 2, this.o.maxBackoffMs ?? 2000);
    };
    call.on('error', (err: grpc.ServiceError) => ended(err.details || err.message));
    call.on('end', () => ended('closed by the manager'));
  }
}

/**
 * SpecCache parses the spec text of assignments: the tasks of one service
 * version carry the same text (a deploy sends many at once), parsed once.
 * A parsed spec is shared by those assignments and never changed. At most
 * `limit` texts are kept; the cache starts over when it is full.
 */
export class SpecCache {
  private readonly specs = new Map<string, ServiceSpec>();
  constructor(private readonly limit = 256) {}

  parse(text: string): ServiceSpec {
    let spec = this.specs.get(text);
    if (spec === undefined) {
      if (this.specs.size >= this.limit) this.specs.clear();
      spec = decodeServiceSpec(text);
      this.specs.set(text, spec);
    }
    return spec;
  }
}

function toAssignment(t: Task__Output, spec: ServiceSpec): Assignment {
  const task: Task = {
    id: t.id,
    stack: t.stack,
    service: t.service,
    slot: t.slot,
    nodeId: t.nodeId,
    desiredState: t.desiredState === 'shutdown' ? 'shutdown' : 'running',
    state: t.state as TaskState,
    containerId: t.containerId,
    error: t.error,
    exitCode: t.exitCode,
    health: t.health as Task['health'],
    specVersion: t.specVersion,
    createdAt: t.createdAtMs,
    updatedAt: t.updatedAtMs,
  };
  return { task, spec };
}

function toApiStatus(o: Observation): TaskStatus {
  return { taskId: o.taskId, state: o.state, containerId: o.containerId, error: o.error, exitCode: o.exitCode, health: o.health, observedAtMs: o.observedAt, ports: o.ports ?? [], networks: o.networks ?? [] };
}
