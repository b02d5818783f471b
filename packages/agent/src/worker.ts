/**
 * The task lifecycle of one node: converges the tasks the manager assigned to
 * real containers through an Executor, and reports what it observes. Every
 * operation of one task runs on that task's own promise chain, so engine events
 * and assignment changes never race; different tasks proceed in parallel.
 *
 * Longer than most files for a reason: it is one state machine (converge,
 * release, refresh and report of a task, on that task's chain), and its parts
 * share the entries and the chains. The pure parts are apart: the state a
 * container shows and the next observation (observation.ts), the guard that a
 * task never moves backwards (taskProgress.ts), the concurrency bound (limiter.ts).
 */
import { isTerminal, type TaskState } from '@cluster/core';
import { imagePullOf, type Assignment, type ContainerEvent, type Executor, type ManagedContainer, type Observation } from './executor.js';
import { Limiter } from './limiter.js';
import { containerState, hasHealthcheck, nextObservation, sameObservation, type ObservedFields } from './observation.js';
import { movesForward } from './taskProgress.js';

/** WorkerOptions are what a Worker needs. */
export interface WorkerOptions {
  executor: Executor;
  nodeId: string;
  /** onStatus receives changed observations in batches. */
  onStatus: (batch: Observation[]) => void;
  /** now is the clock of observations. @default Date.now */
  now?: () => number;
  /** batchMs is how long changes are collected before onStatus is called. @default 20 */
  batchMs?: number;
  /** concurrency bounds how many tasks are being made and started (engine work) at once. @default 8 */
  concurrency?: number;
  /**
   * stopConcurrency bounds how many tasks are being shut down and removed at
   * once: a shutdown mostly waits (the drain, the task's grace period), so a
   * bound of 8 made 30 tasks with a 10 s grace period take 40 s. @default 64
   */
  stopConcurrency?: number;
  /** drainMs is how long a running task told to shut down keeps running, so proxies stop sending to it first. @default 0 */
  drainMs?: number;
}

/** Entry is what the worker knows of one task. */
interface Entry {
  taskId: string;
  stack: string;
  /** assignment is undefined for a container no assignment owns (adopted before the first set, or an orphan). */
  assignment: Assignment | undefined;
  /** assignedSeq orders the assignments this worker received: the value of Worker.assigned when this one came (0: none). */
  assignedSeq: number;
  /** containerId is '' when no container exists. */
  containerId: string;
  obs: Observation | undefined;
  chain: Promise<void>;
}

/** errorText is the message of a thrown value. */
function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Worker converges the assignments of one node and reports observations. */
export class Worker {
  private readonly executor: Executor;
  private readonly nodeId: string;
  private readonly onStatus: (batch: Observation[]) => void;
  private readonly now: () => number;
  private readonly batchMs: number;
  private readonly limiter: Limiter;
  private readonly stopLimiter: Limiter;
  private readonly drainMs: number;
  private readonly entries = new Map<string, Entry>();
  /** assigned counts the assignments received, so a full set never releases a task assigned after it. */
  private assigned = 0;
  private pending = new Map<string, Observation>();
  private flushTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** fullSet tells whether a full set of assignments came (before it, what runs here is only adopted). */
  private fullSet = false;

  constructor(opts: WorkerOptions) {
    this.executor = opts.executor;
    this.nodeId = opts.nodeId;
    this.onStatus = opts.onStatus;
    this.now = opts.now ?? Date.now;
    this.batchMs = opts.batchMs ?? 20;
    this.limiter = new Limiter(opts.concurrency ?? 8);
    this.stopLimiter = new Limiter(opts.stopConcurrency ?? 64);
    this.drainMs = opts.drainMs ?? 0;
  }

  /** start subscribes to engine events, then adopts the labelled containers already on the node. */
  async start(): Promise<void> {
    // Subscribing first means no exit between the listing and the subscription goes unseen.
    this.unsubscribe = await this.executor.events((e) => this.onEvent(e));
    for (const c of await this.executor.list()) {
      if (this.entries.has(c.taskId)) continue;
      const entry = this.entry(c.taskId, c.stack);
      entry.containerId = c.containerId;
      this.observeContainer(entry, c);
    }
  }

  /**
   * setAssignments takes the FULL set of this node's assignments; labelled containers of other tasks are removed.
   * Changes applied while the set is being applied are newer than it: the tasks they assign are kept.
   */
  async setAssignments(all: Assignment[]): Promise<void> {
    this.fullSet = true;
    const wanted = new Set(all.map((a) => a.task.id));
    const runs = all.map((a) => this.upsert(a));
    const asOf = this.assigned;
    // A fresh listing also catches labelled containers this worker has never seen.
    for (const c of await this.executor.list()) {
      if (wanted.has(c.taskId)) continue;
      const entry = this.entries.get(c.taskId) ?? this.entry(c.taskId, c.stack);
      if (!entry.containerId) entry.containerId = c.containerId;
    }
    for (const entry of this.entries.values()) {
      if (!wanted.has(entry.taskId) && entry.assignedSeq <= asOf) runs.push(this.release(entry.taskId));
    }
    await Promise.all(runs);
    await this.removeIdleStacks();
  }

  /** removeIdleStacks removes the networks of stacks no task here uses (a killed agent's leftovers). */
  private async removeIdleStacks(): Promise<void> {
    if (!this.executor.removeIdleStacks) return;
    const keep = new Set<string>();
    for (const e of this.entries.values()) if (e.containerId || e.assignment?.task.desiredState === 'running') keep.add(e.stack);
    await this.executor.removeIdleStacks(keep);
  }

  /**
   * resync converges every task again against what the engine shows now: after
   * the engine was away, operations that failed meanwhile (a stop of a task
   * moved elsewhere) are done, and containers no task owns are removed.
   * Nothing happens before the first full set of assignments.
   */
  async resync(): Promise<void> {
    if (!this.fullSet) return;
    const all: Assignment[] = [];
    for (const e of this.entries.values()) if (e.assignment) all.push(e.assignment);
    await this.setAssignments(all);
  }

  /** applyChanges converges the upserted assignments and releases the removed task ids. */
  async applyChanges(upsert: Assignment[], removed: string[]): Promise<void> {
    await Promise.all([...upsert.map((a) => this.upsert(a)), ...removed.map((id) => this.release(id))]);
  }

  /** serviceOf returns the service (full name) of an assigned task, undefined when none is assigned by that id. */
  serviceOf(taskId: string): string | undefined {
    return this.entries.get(taskId)?.assignment?.task.service;
  }

  /** observations returns the latest observation of every known task. */
  observations(): Observation[] {
    const out: Observation[] = [];
    for (const e of this.entries.values()) if (e.obs) out.push({ ...e.obs });
    return out;
  }

  /** idle resolves once every queued operation has finished and pending observations were sent. */
  async idle(): Promise<void> {
    for (;;) {
      const chains = [...this.entries.values()].map((e) => e.chain);
      await Promise.all(chains);
      const after = [...this.entries.values()].map((e) => e.chain);
      if (after.length === chains.length && after.every((c, i) => c === chains[i])) break;
    }
    this.flush();
  }

  /** stop unsubscribes from events and sends pending observations; containers keep running. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.idle();
  }

  private entry(taskId: string, stack: string): Entry {
    const e: Entry = { taskId, stack, assignment: undefined, assignedSeq: 0, containerId: '', obs: undefined, chain: Promise.resolve() };
    this.entries.set(taskId, e);
    return e;
  }

  /** enqueue runs op on the task's chain, within a concurrency bound (starts' by default); an op never rejects the chain. */
  private enqueue(entry: Entry, op: () => Promise<void>, limiter = this.limiter): Promise<void> {
    const run = entry.chain.then(() =>
      limiter.run(op).catch((err: unknown) => {
        // An engine failure keeps the task's state and says why; the next assignment retries.
        if (entry.obs) this.report(entry, entry.obs.state, { error: errorText(err) });
      }),
    );
    entry.chain = run;
    return run;
  }

  private upsert(a: Assignment): Promise<void> {
    const entry = this.entries.get(a.task.id) ?? this.entry(a.task.id, a.task.stack);
    entry.assignment = a;
    entry.assignedSeq = ++this.assigned;
    entry.stack = a.task.stack;
    return this.enqueue(entry, () => this.converge(entry), a.task.desiredState === 'shutdown' ? this.stopLimiter : this.limiter);
  }

  private release(taskId: string): Promise<void> {
    const entry = this.entries.get(taskId);
    if (!entry) return Promise.resolve();
    const last = entry.assignment;
    entry.assignment = undefined;
    return this.enqueue(entry, async () => {
      if (entry.assignment !== undefined) return; // re-assigned while queued
      await this.removeContainer(entry, last);
      this.entries.delete(taskId);
      this.pending.delete(taskId);
      await this.releaseStack(entry.stack);
    }, this.stopLimiter);
  }

  private onEvent(e: ContainerEvent): void {
    const entry = this.entries.get(e.taskId);
    if (!entry || entry.containerId !== e.containerId) return;
    void this.enqueue(entry, () => this.refresh(entry, e.containerId));
  }

  /** converge moves one task towards its desired state. */
  private async converge(entry: Entry): Promise<void> {
    const a = entry.assignment;
    if (!a) return;
    if (a.task.desiredState === 'shutdown') {
      if (this.drainMs > 0 && entry.containerId && entry.obs?.state === 'running') await new Promise((r) => setTimeout(r, this.drainMs));
      await this.removeContainer(entry, a);
      // A task that already finished keeps its outcome (failed, complete, rejected).
      const known = entry.obs?.state ?? a.task.state;
      if (!isTerminal(known)) this.report(entry, 'shutdown', { containerId: '', health: '' });
      await this.releaseStack(entry.stack);
      return;
    }
    const state = entry.obs?.state;
    // Finished tasks are never restarted: the manager replaces them in the same slot.
    if (state !== undefined && isTerminal(state)) return;
    if (entry.containerId) {
      const c = await this.executor.inspect(entry.containerId);
      if (!c) {
        this.report(entry, 'failed', { containerId: '', error: `container ${entry.containerId} disappeared` });
        entry.containerId = '';
        return;
      }
      if (c.running || c.startedAt !== '') {
        this.observeContainer(entry, c);
        return;
      }
      // Created but never started (the agent stopped in between): start it now.
      await this.startContainer(entry, a);
      return;
    }
    if (state === undefined && isTerminal(a.task.state)) return; // the manager already knows it finished
    if (state === undefined && (a.task.state === 'starting' || a.task.state === 'running')) {
      this.report(entry, 'failed', { error: 'container not found on node' });
      return;
    }
    this.report(entry, 'preparing', {});
    try {
      await this.executor.ensureImage(a.spec.image, imagePullOf(a.spec));
    } catch (err) {
      this.report(entry, 'rejected', { error: errorText(err) });
      return;
    }
    try {
      entry.containerId = await this.executor.create(a, this.nodeId);
    } catch (err) {
      this.report(entry, 'rejected', { error: errorText(err) });
      return;
    }
    this.report(entry, 'starting', {});
    await this.startContainer(entry, a);
  }

  private async startContainer(entry: Entry, a: Assignment): Promise<void> {
    try {
      await this.executor.start(entry.containerId);
    } catch (err) {
      this.report(entry, 'failed', { error: errorText(err) });
      return;
    }
    // The engine chooses the host ports at start: read them back for the registry. A task without
    // ports is reported at once (the engine's start event re-reads it all the same).
    const c = a.spec.ports.length > 0 ? await this.executor.inspect(entry.containerId).catch(() => undefined) : undefined;
    this.report(entry, 'running', { health: hasHealthcheck(a) ? 'starting' : '', ports: c?.ports ?? [], ...(c?.networks ? { networks: c.networks } : {}) });
  }

  /** refresh re-reads a container after an engine event. */
  private async refresh(entry: Entry, containerId: string): Promise<void> {
    if (entry.containerId !== containerId) return;
    if (entry.assignment?.task.desiredState === 'shutdown') return;
    const state = entry.obs?.state;
    if (state !== undefined && isTerminal(state)) return;
    const c = await this.executor.inspect(containerId);
    if (c) this.observeContainer(entry, c);
  }

  /** observeContainer reports the state a container shows. */
  private observeContainer(entry: Entry, c: ManagedContainer): void {
    const { state, fields } = containerState(c);
    this.report(entry, state, fields);
  }

  private async removeContainer(entry: Entry, a: Assignment | undefined): Promise<void> {
    if (!entry.containerId) return;
    // Without an assignment (an orphan), the container's own stop timeout and signal apply.
    const spec = a?.spec;
    // A stop signal of SIGKILL has no grace to give: the removal kills the container at once.
    if (spec?.stopSignal !== 'SIGKILL') await this.executor.stop(entry.containerId, spec?.stopGracePeriodMs, spec?.stopSignal);
    await this.executor.remove(entry.containerId);
    entry.containerId = '';
  }

  /** releaseStack frees the stack's node resources once no task of the stack is left here. */
  private async releaseStack(stack: string): Promise<void> {
    if (!this.executor.removeStackResources || !stack) return;
    for (const e of this.entries.values()) {
      if (e.stack !== stack) continue;
      if (e.containerId || e.assignment?.task.desiredState === 'running') return;
    }
    await this.executor.removeStackResources(stack);
  }

  /**
   * report records an observation and queues it when it changed. A report
   * that would move the task backwards (a late "starting" after "running",
   * anything after it finished) is dropped: a task only moves forward.
   */
  private report(entry: Entry, state: TaskState, fields: ObservedFields): void {
    const prev = entry.obs;
    if (!movesForward(prev?.state, state)) return;
    const next = nextObservation(prev, entry.taskId, entry.containerId, state, fields, this.now());
    if (prev && sameObservation(prev, next)) return;
    entry.obs = next;
    this.pending.set(entry.taskId, next);
    this.flushTimer ??= setTimeout(() => this.flush(), this.batchMs);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.onStatus(batch);
  }
}
