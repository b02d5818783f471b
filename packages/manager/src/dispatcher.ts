import * as grpc from '@grpc/grpc-js';
import { isHeld, isTerminal, ClusterError, type Node, type Task } from '@cluster/core';
import type { AgentMessage__Output, ManagerMessage, RegistryUpdate, TaskStatus__Output } from '@cluster/api';
import type { Store } from './store.js';
import type { Logger } from './log.js';
import { callerOf } from './auth/guard.js';
import { applyStatus, specJsonOf } from './convert.js';
import { assignmentSets } from './assignmentSets.js';
import { volumePurges } from './volumePurges.js';
import { boundedStatus, checkHello, dataDirErrorOf, engineErrorOf, shown } from './nodeInput.js';
import { endWithStatus, toServiceError } from './status.js';
import type { JoinService } from './join.js';
import type { OverlayAllocator } from './overlayAllocator.js';

/** DispatcherOptions configure sessions and failure detection. */
export interface DispatcherOptions {
  store: Store;
  log: Logger;
  join: JoinService;
  /** kickNode asks the orchestrator for a pass over what a node's change affects (it came up or went down). */
  kickNode: (nodeId: string) => void;
  /** kickService asks the orchestrator for a pass over a service (full name): one of its tasks finished. */
  kickService: (service: string) => void;
  /** heartbeatMs is how often agents send a heartbeat. @default 500 */
  heartbeatMs: number;
  /** downAfterMs: a node silent this long is marked down. @default 2500 */
  downAfterMs: number;
  /**
   * streamGraceMs: a node whose session broke is marked down after this,
   * unless it is back. Longer than an agent restart (about 1 s: the node
   * keeps its tasks), short enough that a dead host's tasks run elsewhere
   * within 3 s. @default 1500
   */
  streamGraceMs: number;
  /**
   * engineGraceMs: a node whose agent reports its engine unreachable takes no
   * new tasks at once, and is marked down (its tasks move) after this unless
   * the engine answers again: an engine restarted in place moves nothing.
   * @default 3000
   */
  engineGraceMs?: number;
  /** restartGraceMs: after a manager start, extra time nodes get to reconnect before the silence counts. @default 3000 */
  restartGraceMs?: number;
  /** now is the wall clock, for the times shown (last heartbeat). @default Date.now */
  now?: () => number;
  /**
   * monotonic is the clock liveness is judged on: it never steps when the
   * wall clock is set (by NTP, by hand) forward or back, so a step is never
   * taken for a node's silence, nor hides one. @default performance.now
   */
  monotonic?: () => number;
  /** registry returns the FULL service registry, sent after the first assignment set. @default none sent */
  registry?: () => RegistryUpdate;
  /** chunkBytes bounds one assignment message; larger sets are cut into several (assignmentSets.ts). @default 4 MiB */
  chunkBytes?: number;
  /** greeting returns more messages for a session just accepted (for example a CA update). @default none */
  greeting?: (nodeId: string) => ManagerMessage[];
  /** overlay allocates the networks' subnets and the nodes' indexes; assignments carry them. @default no overlay */
  overlay?: OverlayAllocator;
}

type SessionCall = grpc.ServerDuplexStream<AgentMessage__Output, ManagerMessage>;

interface Session {
  nodeId: string;
  call: SessionCall;
  /** sent holds, per task, the key of what the node was last told (sentKey). */
  sent: Map<string, number>;
}

/**
 * Dispatcher serves agents: Join hands out node certificates and Session
 * keeps one stream per node for heartbeats, task status and assignments. It
 * marks nodes down when their heartbeats stop or their session breaks.
 */
export class Dispatcher {
  private readonly o: DispatcherOptions;
  private readonly now: () => number;
  private readonly mono: () => number;
  private readonly sessions = new Map<string, Session>();
  /** lastSeen holds, per node, when it was last heard from, on the clock of readable time (readableNow). */
  private readonly lastSeen = new Map<string, number>();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  /** engineTimers hold, per node whose engine does not answer, the timer that marks it down. */
  private readonly engineTimers = new Map<string, NodeJS.Timeout>();
  private liveness: NodeJS.Timeout | undefined;
  private livenessPeriod = 250;
  /** lastCheck is when the liveness check last ran (ms, 0 before the first). */
  private lastCheck = 0;
  /** stalled is the time (ms) the event loop was held by other work, so that nothing could be read. */
  private stalled = 0;

  constructor(o: DispatcherOptions) {
    this.o = o;
    this.now = o.now ?? Date.now;
    this.mono = o.monotonic ?? (() => performance.now());
  }

  /** start marks every stored node unknown until it reconnects, and starts the liveness check. */
  start(): void {
    const nodes = this.o.store.allNodes().map((n) => ({ ...n, status: n.status === 'down' ? 'down' : 'unknown', statusMessage: n.status === 'down' ? n.statusMessage : 'manager restarted; waiting for the node' }) as Node);
    // Agents reconnect with a backoff of up to 2 s while the manager is away;
    // give them that long on top of the usual silence before calling a node
    // down, so a manager restart alone never moves tasks.
    for (const n of nodes) this.lastSeen.set(n.id, this.readableNow() + (this.o.restartGraceMs ?? 3000));
    if (nodes.length > 0) this.o.store.putNodesSoon(nodes);
    const period = Math.max(50, Math.floor(this.o.heartbeatMs / 2));
    this.livenessPeriod = period;
    this.lastCheck = this.mono();
    this.liveness = setInterval(() => this.checkLiveness(), period);
    this.liveness.unref();
  }

  stop(): void {
    if (this.liveness) clearInterval(this.liveness);
    for (const t of this.graceTimers.values()) clearTimeout(t);
    for (const t of this.engineTimers.values()) clearTimeout(t);
    for (const s of this.sessions.values()) s.call.end();
    this.sessions.clear();
  }

  /** handlers are the Dispatcher RPC implementations (wrap them with guardService). */
  handlers(): grpc.UntypedServiceImplementation {
    return {
      Join: (call: grpc.ServerUnaryCall<any, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        this.o.join.join(call.request, call.getPeer()).then((r) => cb(null, r), (err) => cb(toServiceError(err)));
      },
      Session: (call: SessionCall) => this.session(call),
      RenewCertificate: (call: grpc.ServerUnaryCall<{ csrPem: string }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        const caller = callerOf(call);
        this.o.join.renew({ nodeId: caller.name, role: caller.certRole }, call.request.csrPem).then((r) => cb(null, r), (err) => cb(toServiceError(err)));
      },
    };
  }

  /** connected tells whether a node has a live session. */
  connected(nodeId: string): boolean {
    return this.sessions.has(nodeId);
  }

  /** disconnect ends a node's session (for example when the node is removed). */
  disconnect(nodeId: string, reason: string): void {
    const s = this.sessions.get(nodeId);
    if (!s) return;
    this.sessions.delete(nodeId);
    endWithStatus(s.call, Object.assign(new Error(reason), { code: grpc.status.PERMISSION_DENIED, details: reason }));
  }

  /** publishRegistry sends a registry update to every open session. */
  publishRegistry(update: RegistryUpdate): void {
    for (const s of this.sessions.values()) s.call.write({ registry: update });
  }

  /** purgeVolumes tells every connected node to delete the volumes of a removed stack. */
  purgeVolumes(stack: string): void {
    for (const s of this.sessions.values()) s.call.write({ assignments: { type: 'INCREMENTAL', tasks: [], removed: [], purgeVolumes: [stack] } });
  }

  /** broadcast sends a message to every open session. */
  broadcast(m: ManagerMessage): void {
    for (const s of this.sessions.values()) s.call.write(m);
  }

  /** notify pushes changed and removed tasks to the sessions of their nodes. */
  notify(changed: Task[], removed: string[]): void {
    const perNode = new Map<string, { tasks: Task[]; removed: string[] }>();
    const specJson = this.specJsonCache();
    const set = (nodeId: string): { tasks: Task[]; removed: string[] } => {
      let a = perNode.get(nodeId);
      if (!a) perNode.set(nodeId, (a = { tasks: [], removed: [] }));
      return a;
    };
    for (const t of changed) {
      if (!t.nodeId) continue;
      const s = this.sessions.get(t.nodeId);
      // A task the node holds is updated even once finished, so that the
      // node removes the container of a task that was replaced.
      if (!s || (!belongsInSet(t) && !s.sent.has(t.id))) continue;
      const key = sentKey(t);
      if (s.sent.get(t.id) === key) continue;
      s.sent.set(t.id, key);
      set(t.nodeId).tasks.push(t);
    }
    if (removed.length > 0) {
      for (const s of this.sessions.values()) {
        for (const id of removed) {
          if (s.sent.delete(id)) set(s.nodeId).removed.push(id);
        }
      }
    }
    for (const [nodeId, a] of perNode) {
      const call = this.sessions.get(nodeId)?.call;
      if (!call) continue;
      for (const m of assignmentSets({ type: 'INCREMENTAL', tasks: a.tasks, removed: a.removed, specJson, chunkBytes: this.o.chunkBytes })) call.write({ assignments: m });
    }
  }

  /** specJsonCache returns a function giving a task's spec text, made once per service and spec version. */
  private specJsonCache(): (t: Task) => string {
    const specs = new Map<string, string>();
    return (t) => {
      const key = `${t.service}|${t.specVersion}`;
      let text = specs.get(key);
      if (text === undefined) {
        const service = this.o.store.service(t.service);
        specs.set(key, (text = specJsonOf(service, t, service && this.o.overlay?.networksOf(service))));
      }
      return text;
    };
  }

  private session(call: SessionCall): void {
    const nodeId = callerOf(call).name;
    const log = this.o.log;
    let session: Session | undefined;
    let refused = false;
    call.on('data', (msg: AgentMessage__Output) => {
      // After a refusal the stream is ending; what the node still sends is dropped.
      if (refused) return;
      try {
        if (!session) {
          if (msg.msg !== 'hello' || !msg.hello) {
            refused = true;
            endWithStatus(call, Object.assign(new Error('session: the first message must be a hello'), { code: grpc.status.INVALID_ARGUMENT, details: 'session: the first message must be a hello' }));
            return;
          }
          session = this.open(nodeId, call, msg.hello);
          return;
        }
        this.lastSeen.set(nodeId, this.readableNow());
        if (msg.msg === 'status' && msg.status) this.applyStatuses(nodeId, msg.status.statuses);
        else if (msg.msg === 'engine' && msg.engine) this.engineStatus(nodeId, msg.engine.error);
        else if (msg.msg === 'dataDir' && msg.dataDir) this.dataDirStatus(nodeId, msg.dataDir.error);
      } catch (err) {
        if (err instanceof ClusterError) log.warn(`dispatcher: session of node ${nodeId} refused: ${err.message}`);
        else log.error(`dispatcher: session of node ${nodeId}`, err);
        refused = true;
        endWithStatus(call, toServiceError(err));
      }
    });
    const closed = (): void => {
      if (session && this.sessions.get(nodeId) === session) {
        this.sessions.delete(nodeId);
        log.info(`dispatcher: session of node ${nodeId} closed`);
        this.scheduleDown(nodeId, 'session closed');
      }
    };
    call.on('end', () => { closed(); call.end(); });
    call.on('error', closed);
    call.on('cancelled', closed);
    call.on('close', closed);
  }

  private open(nodeId: string, call: SessionCall, hello: NonNullable<AgentMessage__Output['hello']>): Session {
    const store = this.o.store;
    const node = store.node(nodeId);
    if (!node) throw new ClusterError('permission_denied', `session: node ${nodeId} is not a member of this cluster (removed?)`);
    // Checked before anything is applied: a refused hello changes nothing.
    const facts = checkHello(hello);
    // Statuses first: a hello reporting another node's task changes nothing.
    this.applyStatuses(nodeId, hello.observed);
    // The host name is an identity fact placement relies on (node.hostname
    // constraints): it is the one of the join, never what a node says later.
    if (facts.hostname !== '' && facts.hostname !== node.hostname) {
      this.o.log.warn(`dispatcher: node ${node.name} (${nodeId}) says its host name is ${shown(facts.hostname)}; it keeps ${shown(node.hostname)} from its join (join again to change it)`);
    }
    const old = this.sessions.get(nodeId);
    if (old) old.call.end();
    const timer = this.graceTimers.get(nodeId);
    if (timer) clearTimeout(timer);
    this.graceTimers.delete(nodeId);
    clearTimeout(this.engineTimers.get(nodeId));
    this.engineTimers.delete(nodeId);
    const now = this.now();
    this.lastSeen.set(nodeId, this.readableNow());
    store.putNodesSoon([{
      ...node,
      status: 'ready',
      statusMessage: '',
      lastHeartbeat: now,
      address: facts.address || node.address,
      engineVersion: facts.engineVersion,
      nanoCpus: facts.nanoCpus,
      memoryBytes: facts.memoryBytes,
      engineError: engineErrorOf(hello.engineError),
      dataDirError: dataDirErrorOf(hello.dataDirError),
    }]);
    if (hello.engineError) this.scheduleEngineDown(nodeId);
    const session: Session = { nodeId, call, sent: new Map() };
    this.sessions.set(nodeId, session);
    call.write({ accepted: { nodeId, heartbeatPeriodMs: this.o.heartbeatMs, overlayIndex: this.o.overlay?.nodeIndex(nodeId) ?? 0 } });
    const tasks = store.tasksOfNode(nodeId).filter(belongsInSet);
    for (const t of tasks) session.sent.set(t.id, sentKey(t));
    const specJson = this.specJsonCache();
    for (const m of assignmentSets({ type: 'FULL', tasks, purgeVolumes: volumePurges(store), specJson, chunkBytes: this.o.chunkBytes })) call.write({ assignments: m });
    if (this.o.registry) call.write({ registry: this.o.registry() });
    for (const m of this.o.greeting?.(nodeId) ?? []) call.write(m);
    this.o.log.info(`dispatcher: node ${node.name} (${nodeId}) is ready with ${tasks.length} assignments`);
    this.o.kickNode(nodeId);
    return session;
  }

  private applyStatuses(nodeId: string, statuses: TaskStatus__Output[]): void {
    const store = this.o.store;
    const now = this.now();
    const put: Task[] = [];
    for (const raw of statuses) {
      const s = boundedStatus(raw);
      const t = store.task(s.taskId);
      if (!t) continue;
      if (t.nodeId !== nodeId) {
        // Task ids only ever belong to one node, so an honest agent never
        // reports another node's task: end the session rather than trust it.
        this.o.log.warn(`dispatcher: node ${nodeId} reported task ${s.taskId} of node ${t.nodeId || '(none)'}; session ended`);
        throw new ClusterError('permission_denied', `session: node ${nodeId} reported task ${s.taskId} of another node`);
      }
      const next = applyStatus(t, s, now);
      if (next) put.push(next);
    }
    if (put.length === 0) return;
    store.putTasksSoon(put);
    // The orchestrator decides only on tasks that finished while still
    // wanted (to replace them) or whose service is gone (to delete them); a
    // task on its way to running, or one that stopped as asked, needs no pass.
    const finished = new Set<string>();
    for (const t of put) if (isTerminal(t.state) && (t.desiredState === 'running' || !store.service(t.service))) finished.add(t.service);
    for (const name of finished) this.o.kickService(name);
  }

  /** engineStatus records that a node's engine stopped (error) or started ('') answering. */
  private engineStatus(nodeId: string, reported: string): void {
    const error = engineErrorOf(reported);
    const store = this.o.store;
    const n = store.node(nodeId);
    if (!n || (n.engineError ?? '') === error) return;
    if (error) {
      store.putNodesSoon([{ ...n, engineError: error }]);
      this.o.log.warn(`dispatcher: node ${n.name} (${nodeId}): engine unreachable: ${error}; it takes no new tasks, and its tasks move in ${this.engineGraceMs()} ms unless the engine answers`);
      this.scheduleEngineDown(nodeId);
    } else {
      clearTimeout(this.engineTimers.get(nodeId));
      this.engineTimers.delete(nodeId);
      // A node marked down for its engine alone is ready again: its session never ended.
      const back = n.status === 'down' && this.sessions.has(nodeId);
      if (back) this.lastSeen.set(nodeId, this.readableNow());
      store.putNodesSoon([{ ...n, engineError: '', ...(back ? { status: 'ready', statusMessage: '', lastHeartbeat: this.now() } : {}) }]);
      this.o.log.info(`dispatcher: node ${n.name} (${nodeId}): engine answers again${back ? '; the node is ready' : ''}`);
    }
    this.o.kickNode(nodeId);
  }

  /** dataDirStatus records that a node's agent stopped (error) or started ('') being able to write its data dir; its tasks run on. */
  private dataDirStatus(nodeId: string, reported: string): void {
    const error = dataDirErrorOf(reported);
    const n = this.o.store.node(nodeId);
    if (!n || (n.dataDirError ?? '') === error) return;
    this.o.store.putNodesSoon([{ ...n, dataDirError: error }]);
    if (error) this.o.log.warn(`dispatcher: node ${n.name} (${nodeId}): its data dir cannot be written: ${error}; its tasks run on`);
    else this.o.log.info(`dispatcher: node ${n.name} (${nodeId}): its data dir takes writes again`);
  }

  private engineGraceMs(): number {
    return this.o.engineGraceMs ?? 3000;
  }

  /** scheduleEngineDown marks a node down after the engine grace period unless its engine answers again. */
  private scheduleEngineDown(nodeId: string): void {
    if (this.engineTimers.has(nodeId)) return;
    const timer = setTimeout(() => {
      this.engineTimers.delete(nodeId);
      const error = this.o.store.node(nodeId)?.engineError;
      if (error) this.markDown(nodeId, `engine unreachable: ${error}`);
    }, this.engineGraceMs());
    timer.unref();
    this.engineTimers.set(nodeId, timer);
  }

  private scheduleDown(nodeId: string, why: string): void {
    if (this.graceTimers.has(nodeId)) return;
    const timer = setTimeout(() => {
      this.graceTimers.delete(nodeId);
      if (!this.sessions.has(nodeId)) this.markDown(nodeId, why);
    }, this.o.streamGraceMs);
    timer.unref();
    this.graceTimers.set(nodeId, timer);
  }

  /**
   * readableNow is the clock silence is judged on: real time less the time
   * the event loop was held by other work. Heartbeats that arrive while the
   * manager is busy wait unread in its sockets; that wait is not the node's
   * silence.
   */
  private readableNow(): number {
    return this.mono() - this.stalled;
  }

  private checkLiveness(): void {
    const real = this.mono();
    // A check that runs late (by more than a period) means the loop was held
    // that long: nothing was read meanwhile, and timers run before the
    // sockets are read again.
    const late = real - this.lastCheck - this.livenessPeriod;
    if (this.lastCheck > 0 && late > this.livenessPeriod) this.stalled += late;
    this.lastCheck = real;
    const now = this.readableNow();
    const silent: Node[] = [];
    for (const n of this.o.store.allNodes()) {
      if (n.status === 'down') continue;
      let seen = this.lastSeen.get(n.id);
      if (seen === undefined) {
        // A node that joined but has not opened its session yet counts from
        // its join (a wall-clock time: its age, never less than none).
        seen = now - Math.max(0, this.now() - n.createdAt);
        this.lastSeen.set(n.id, seen);
      }
      if (now - seen > this.o.downAfterMs) silent.push({ ...n, status: 'down', statusMessage: `no heartbeat for ${((now - seen) / 1000).toFixed(1)}s` });
    }
    if (silent.length === 0) return;
    // Observed state: written with the next flush (one fsync for all), and
    // judged even while the disk refuses writes.
    this.o.store.putNodesSoon(silent);
    for (const n of silent) {
      this.o.log.warn(`dispatcher: node ${n.name} (${n.id}) is down: ${n.statusMessage}`);
      this.o.kickNode(n.id);
      this.disconnect(n.id, 'session: heartbeats stopped');
    }
  }

  private markDown(nodeId: string, why: string): void {
    const n = this.o.store.node(nodeId);
    if (!n || n.status === 'down') return;
    this.o.store.putNodesSoon([{ ...n, status: 'down', statusMessage: why }]);
    this.o.log.warn(`dispatcher: node ${n.name} (${nodeId}) is down: ${why}`);
    this.o.kickNode(nodeId);
  }
}

/**
 * belongsInSet tells whether a node should hold a task: it should run, or it
 * may still run and must be stopped. A task held on its node until its
 * dependencies are ready (a global service's) is not sent before the
 * scheduler releases it.
 */
function belongsInSet(t: Task): boolean {
  if (isHeld(t)) return false;
  return t.desiredState === 'running' || !isTerminal(t.state) || t.state === 'orphaned';
}

/**
 * sentKey is what a node was told of a task that a change may make it need
 * again: desired state and spec version, as one number (a small integer
 * costs no memory in a Map, a string per task did). The node is the
 * session's own: a task goes only to the session of its node.
 */
function sentKey(t: Task): number {
  return t.specVersion * 2 + (t.desiredState === 'running' ? 1 : 0);
}
