import { ClusterError, MAX_ERROR_CHARS, copyTask, formatSpecProblems, fullServiceName, isLive, isTerminal, needsRules, reconcile, schedule, clipText, validateServiceSpec, type Node, type Service, type Task } from '@cluster/core';
import type { Batch, Store } from './store.js';
import type { Logger } from './log.js';

/** OrchestratorOptions configure the reconcile-and-schedule loop. */
export interface OrchestratorOptions {
  store: Store;
  log: Logger;
  /** now is the clock. @default Date.now */
  now?: () => number;
  /**
   * monotonic is the clock the wake-ups (restart delays, retries of unplaced
   * tasks) are timed on, so that a wall-clock step neither delays nor hastens
   * them. @default performance.now, or `now` when a test gives that
   */
  monotonic?: () => number;
  newId: () => string;
  /** onTasks is told of every task written or deleted by a pass. */
  onTasks: (changed: Task[], removed: string[]) => void;
  /**
   * chunkTasks: a pass takes services in name order until they hold about
   * this many tasks, and leaves the rest to the next turn of the event loop,
   * so that heartbeats are read between the parts of a large deploy.
   * @default 5000
   */
  chunkTasks?: number;
  /**
   * fullPassMs: how often every service is reconciled although nothing
   * asked (a safety net; at 100,000 tasks such a pass costs about 3 s of
   * CPU, spread over turns). 0 turns it off. @default 300000
   */
  fullPassMs?: number;
}

/** SLOW_PASS_MS: passes that take this long are logged. */
const SLOW_PASS_MS = 100;

/** UNPLACED_RETRY_MS: services with tasks no node could take are tried again this often (and whenever a node changes). */
const UNPLACED_RETRY_MS = 2000;

/**
 * Orchestrator runs passes of the pure reconciler and scheduler over the
 * services that may need them and writes their plan back in one
 * transaction per pass. What asks for a pass says what changed: a service
 * (spec, or one of its tasks finished: kickService), a node (up, down,
 * drained: kickNode), or anything (kick). A pass covers the services named,
 * those with tasks on the nodes named, every global service when a node
 * changed, and the services whose tasks wait unplaced. Requests are
 * coalesced: one pass runs on the next turn of the loop.
 */
export class Orchestrator {
  private readonly opts: OrchestratorOptions;
  private readonly now: () => number;
  private readonly mono: () => number;
  private readonly chunkTasks: number;
  private scheduled = false;
  /** lastFailure is the message of the last failed pass's ClusterError ('' after other failures), so a refusal repeated every second is logged once. */
  private lastFailure = '';
  private stopped = false;
  private everything = false;
  private readonly dirtyServices = new Set<string>();
  private readonly dirtyNodes = new Set<string>();
  /** queue holds the services of a pass split over turns, in name order. */
  private queue: string[] = [];
  /** unplaced holds the services left with tasks the scheduler could not place. */
  private readonly unplaced = new Set<string>();
  /** wakeAt holds, per service, when the reconciler wants to look again (a restart delay ends), on the monotonic clock. */
  private readonly wakeAt = new Map<string, number>();
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeTimerAt = Infinity;
  private safetyTimer: NodeJS.Timeout | undefined;
  /** asked says what the pass in progress was asked for (for the log of slow passes). */
  private asked = '';
  /**
   * failed holds, per stored service (the object: a new spec is a new one),
   * why its pass threw; it is left out of passes until its spec changes.
   */
  private readonly failed = new WeakMap<Service, string>();
  /** checked holds, per stored service, the problems of its spec ('' when valid). */
  private readonly checked = new WeakMap<Service, string>();
  /** passes counts completed passes (for tests and metrics). */
  passes = 0;

  constructor(opts: OrchestratorOptions) {
    this.opts = opts;
    this.now = opts.now ?? Date.now;
    this.mono = opts.monotonic ?? opts.now ?? (() => performance.now());
    this.chunkTasks = opts.chunkTasks ?? 5000;
  }

  /** kick asks for a pass over every service soon. */
  kick(): void {
    this.everything = true;
    this.soon();
  }

  /** kickService asks for a pass over a service (full name) soon: its spec changed, or one of its tasks finished. */
  kickService(name: string): void {
    this.dirtyServices.add(name);
    this.soon();
  }

  /** kickNode asks for a pass over what a node's change may affect soon: it joined, came up, went down or was drained. */
  kickNode(nodeId: string): void {
    this.dirtyNodes.add(nodeId);
    this.soon();
  }

  stop(): void {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.safetyTimer) clearInterval(this.safetyTimer);
  }

  /**
   * settle runs passes until nothing is left to do, without yielding (for
   * tests: the result is what the passes on later turns would reach).
   */
  settle(): void {
    for (let i = 0; i < 10000 && this.hasWork(); i++) this.step();
  }

  /** retryWaiting asks for a pass over the services with unplaced tasks and those whose restart delay is over (the wake-up timer calls it). */
  retryWaiting(): void {
    const now = this.mono();
    for (const [name, t] of this.wakeAt) if (t <= now) this.dirtyServices.add(name);
    for (const name of this.unplaced) this.dirtyServices.add(name);
  }

  /** pass reconciles and schedules every service at once and stores the result. */
  pass(): void {
    const { store } = this.opts;
    this.isolatedPass([...new Set([...store.allServices().map((s) => s.name), ...store.serviceNamesOfTasks()])].sort());
  }

  /**
   * serviceError says why a service is left out of orchestration (its spec is
   * invalid, or its pass threw), undefined when it is not: the other services
   * carry on, and this one is looked at again when its spec changes.
   */
  serviceError(name: string): string | undefined {
    const s = this.opts.store.service(name);
    return s === undefined ? this.opts.store.invalidService(name)?.error : this.brokenReason(s);
  }

  /** brokenReason checks a stored service once per version of it (a store from before may hold anything). */
  private brokenReason(s: Service): string | undefined {
    const failed = this.failed.get(s);
    if (failed !== undefined) return failed;
    let problems = this.checked.get(s);
    if (problems === undefined) {
      const key = typeof s.stack === 'string' && s.name.startsWith(`${s.stack}_`) ? s.name.slice(s.stack.length + 1) : s.name;
      const found = validateServiceSpec(key, s.spec, 'spec');
      problems = found.length === 0 ? '' : clipText(`invalid spec: ${formatSpecProblems(found)}`, MAX_ERROR_CHARS);
      this.checked.set(s, problems);
      if (problems !== '') this.opts.log.error(`orchestrator: service ${s.name} left out: ${problems}`);
    }
    return problems === '' ? undefined : problems;
  }

  /** isolate leaves a service whose pass threw out of the next passes, until its spec changes. */
  private isolate(name: string, err: unknown): void {
    const s = this.opts.store.service(name);
    const message = clipText(`orchestrator: ${err instanceof Error ? err.message : String(err)}`, MAX_ERROR_CHARS);
    this.opts.log.error(`orchestrator: pass over service ${name} failed; it is left out until its spec changes`, err);
    if (s !== undefined) this.failed.set(s, message);
  }

  private hasWork(): boolean {
    return this.everything || this.dirtyServices.size > 0 || this.dirtyNodes.size > 0 || this.queue.length > 0;
  }

  private soon(): void {
    if (this.scheduled || this.stopped) return;
    if (!this.safetyTimer && this.opts.fullPassMs !== 0) {
      this.safetyTimer = setInterval(() => this.kick(), this.opts.fullPassMs ?? 300000);
      this.safetyTimer.unref();
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopped) return;
      try {
        this.step();
        this.lastFailure = '';
      } catch (err) {
        // A disk that refuses writes fails every pass until space returns: the store logs that once.
        if (!(err instanceof ClusterError) || err.message !== this.lastFailure) this.opts.log.error('orchestrator: pass failed', err);
        this.lastFailure = err instanceof ClusterError ? err.message : '';
        this.queue = [];
        this.everything = true;
        this.wake(this.mono() + 1000);
        return;
      }
      if (this.hasWork()) this.soon();
    });
  }

  /** step runs the pass over the next part of the work. */
  private step(): void {
    this.collect();
    const chunk = this.takeChunk();
    if (chunk.length > 0) this.isolatedPass(chunk);
  }

  /**
   * isolatedPass runs a pass over some services; when it throws, it runs one
   * per service, and a service whose own pass throws is left out (isolate):
   * one bad service never stops the others.
   */
  private isolatedPass(chunk: readonly string[]): void {
    try {
      this.passOver(chunk);
    } catch (err) {
      // A store that cannot write fails every pass alike: retried as a whole.
      if (err instanceof ClusterError && err.retryable) throw err;
      // Otherwise one service's pass threw: find it, and let the others carry on.
      for (const name of chunk) {
        try {
          if (chunk.length > 1) this.passOver([name]);
          else throw err;
        } catch (one) {
          if (one instanceof ClusterError && one.retryable) throw one;
          this.isolate(name, one);
        }
      }
    }
  }

  /** collect turns what was asked for into service names, merged into the queue in name order. */
  private collect(): void {
    const { store } = this.opts;
    if (!this.everything && this.dirtyServices.size === 0 && this.dirtyNodes.size === 0) return;
    const names = new Set(this.queue);
    if (this.everything) {
      for (const s of store.allServices()) names.add(s.name);
      for (const n of store.serviceNamesOfTasks()) names.add(n);
    } else {
      for (const n of this.dirtyServices) names.add(n);
      if (this.dirtyNodes.size > 0) {
        for (const id of this.dirtyNodes) {
          // The reconciler moves a node's tasks away only when the node is
          // gone, down or drained; a node that is up keeps what it runs.
          const node = store.node(id);
          if (node && node.status !== 'down' && node.availability !== 'drain') continue;
          // Tasks of removed services too: the reconciler drops them from a lost node.
          for (const t of store.tasksOfNode(id)) if (!isTerminal(t.state) && (t.desiredState === 'running' || !store.service(t.service))) names.add(t.service);
        }
        // Global services run on every eligible node: any node change may add or stop one.
        for (const s of store.allServices()) if (s.spec.mode === 'global') names.add(s.name);
      }
    }
    // Whatever changed may let waiting tasks go: freed capacity, a new node, a dependency now ready.
    for (const n of this.unplaced) names.add(n);
    this.asked = this.everything ? 'everything' : `${this.dirtyServices.size} services, ${this.dirtyNodes.size} nodes, ${this.unplaced.size} with unplaced tasks`;
    this.everything = false;
    this.dirtyServices.clear();
    this.dirtyNodes.clear();
    this.queue = [...names].sort();
  }

  /** takeChunk takes services off the queue until they hold about chunkTasks tasks (at least one service). */
  private takeChunk(): string[] {
    const { store } = this.opts;
    let size = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || size < this.chunkTasks)) {
      const name = this.queue[n] as string;
      const s = store.service(name);
      const wanted = s === undefined ? 0 : s.spec.mode === 'global' ? store.nodeCount() : s.spec.replicas;
      size += Math.max(wanted, store.taskCountOfService(name));
      n++;
    }
    const chunk = this.queue.slice(0, n);
    this.queue = this.queue.slice(n);
    return chunk;
  }

  /** passOver runs one reconcile + schedule over some services (full names, in order) and stores the result. */
  private passOver(all: readonly string[]): void {
    const { store } = this.opts;
    const now = this.now();
    const started = Date.now();
    // A service that cannot be worked on keeps its tasks as they are; they count as others' do.
    const names = all.filter((name) => {
      const s = store.service(name);
      // A service whose stored spec is invalid is not a removed one: its tasks are left alone.
      return s === undefined ? store.invalidService(name) === undefined : this.brokenReason(s) === undefined;
    });
    const inPass = new Set(names);
    const services: Service[] = [];
    const tasks: Task[] = [];
    for (const name of names) {
      const s = store.service(name);
      if (s) services.push(s);
      for (const t of store.tasksOfService(name)) tasks.push(t);
    }
    const nodes = store.allNodes();
    const plan = reconcile({ services, tasks, nodes, now, newId: this.opts.newId });

    const changed = new Map<string, Task>();
    for (const u of plan.update) {
      const t = changed.get(u.id) ?? store.task(u.id);
      if (!t) continue;
      const next = copyTask(t);
      next.updatedAt = now;
      if (u.desiredState !== undefined) next.desiredState = u.desiredState;
      if (u.state !== undefined) next.state = u.state;
      if (u.error !== undefined) next.error = u.error;
      changed.set(next.id, next);
    }
    for (const t of plan.create) changed.set(t.id, t);
    const removed = new Set(plan.remove);
    for (const id of removed) changed.delete(id);

    // Schedule over the tasks as they will be after this plan. The other
    // services' tasks only count: those of the services depended on (or all,
    // for placement rules), and the rest as live tasks per node.
    const after: Task[] = [];
    for (const t of tasks) if (!removed.has(t.id)) after.push(changed.get(t.id) ?? t);
    for (const t of plan.create) if (!removed.has(t.id)) after.push(t);
    const byName = new Map<string, Service>();
    for (const s of store.allServices()) if (this.brokenReason(s) === undefined) byName.set(s.name, s);
    const input: Task[] = [...after];
    let baseLoad: Map<string, number> | undefined;
    if (services.some(needsRules)) {
      for (const t of store.allTasks()) if (!inPass.has(t.service)) input.push(t);
    } else {
      baseLoad = new Map(store.liveTasksByNode());
      const uncount = (t: Task): void => {
        if (!isLive(t)) return;
        const n = (baseLoad?.get(t.nodeId) ?? 0) - 1;
        baseLoad?.set(t.nodeId, n);
      };
      for (const t of tasks) uncount(t);
      const deps = new Set<string>();
      for (const s of services) for (const d of s.spec.dependsOn ?? []) deps.add(fullServiceName(s.stack, d.service));
      for (const name of deps) {
        if (inPass.has(name)) continue;
        for (const t of store.tasksOfService(name)) {
          input.push(t);
          uncount(t);
        }
      }
    }
    const result = schedule({ tasks: input, nodes, services: byName, only: inPass, baseLoad });
    const index = new Map<string, Task>();
    for (const t of after) index.set(t.id, t);
    // A task made by this pass (created, or copied to change) is changed in
    // place; a stored one is copied.
    const own = (t: Task): Task => (changed.get(t.id) === t ? t : copyTask(t));
    for (const p of result.placements) {
      const t = index.get(p.taskId);
      if (!t) continue;
      const next = own(t);
      next.nodeId = p.nodeId;
      next.state = 'assigned';
      next.error = '';
      if (next.reason) delete next.reason;
      next.updatedAt = now;
      changed.set(t.id, next);
    }
    for (const name of all) {
      this.unplaced.delete(name);
      this.wakeAt.delete(name);
    }
    for (const u of result.unplaced) {
      const t = index.get(u.taskId);
      if (!t) continue;
      this.unplaced.add(t.service);
      if (t.state === 'pending' && t.error === u.reason && t.reason !== undefined) continue;
      const next = own(t);
      next.state = 'pending';
      next.error = u.reason;
      next.reason = u.why;
      next.updatedAt = now;
      changed.set(t.id, next);
    }

    if (changed.size > 0 || removed.size > 0) {
      const batch: Batch = { putTasks: [...changed.values()], deleteTasks: [...removed] };
      try {
        store.update(batch);
      } catch (err) {
        // Retried as a whole, not blamed on a service: the store's own error (a full disk) says why.
        if (err instanceof ClusterError && err.retryable) throw err;
        throw new ClusterError('unavailable', 'orchestrator: the store refused the pass\'s writes', { cause: err, retryable: true });
      }
      this.opts.onTasks(batch.putTasks ?? [], batch.deleteTasks ?? []);
    }
    this.passes++;
    const took = Date.now() - started;
    if (took >= SLOW_PASS_MS) this.opts.log.info(`orchestrator: pass over ${names.length} services (${tasks.length} tasks; asked for ${this.asked}) took ${took} ms: ${changed.size} tasks written, ${removed.size} removed`);
    // The plan's wake-up time is for one of these services; look at all of them again then.
    if (plan.wakeAt !== undefined) {
      const due = this.mono() + Math.max(0, plan.wakeAt - now);
      for (const name of names) this.wakeAt.set(name, due);
    }
    let next = Infinity;
    for (const at of this.wakeAt.values()) next = Math.min(next, at);
    if (this.unplaced.size > 0) next = Math.min(next, this.mono() + UNPLACED_RETRY_MS);
    if (next < Infinity) this.wake(next);
  }

  /** wake arms the timer for the earliest wanted pass (restart delays, unplaced tasks); `at` is on the monotonic clock. */
  private wake(at: number): void {
    if (this.stopped || (this.wakeTimer && this.wakeTimerAt <= at)) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimerAt = at;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.wakeTimerAt = Infinity;
      this.retryWaiting();
      if (this.hasWork()) {
        this.soon();
        return;
      }
      // Only later restart delays are left: wait for them.
      let next = Infinity;
      for (const t of this.wakeAt.values()) next = Math.min(next, t);
      if (next < Infinity) this.wake(next);
    }, Math.max(0, at - this.mono()));
    this.wakeTimer.unref();
  }
}

/** nodeName returns a node's name for messages, or its id when unknown. */
export function nodeName(nodes: Node[], id: string): string {
  return nodes.find((n) => n.id === id)?.name ?? id;
}
