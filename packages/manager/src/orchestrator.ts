import { reconcile, schedule, type Node, type Service, type Task } from '@cluster/core';
import type { Batch, Store } from './store.js';
import type { Logger } from './log.js';

/** OrchestratorOptions configure the reconcile-and-schedule loop. */
export interface OrchestratorOptions {
  store: Store;
  log: Logger;
  /** now is the clock. @default Date.now */
  now?: () => number;
  newId: () => string;
  /** onTasks is told of every task written or deleted by a pass. */
  onTasks: (changed: Task[], removed: string[]) => void;
}

/**
 * Orchestrator runs passes of the pure reconciler and scheduler over the
 * store and writes their plan back in one transaction. Passes are coalesced:
 * kick() any number of times, one pass runs on the next turn of the loop.
 */
export class Orchestrator {
  private readonly opts: OrchestratorOptions;
  private readonly now: () => number;
  private scheduled = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** passes counts completed passes (for tests and metrics). */
  passes = 0;

  constructor(opts: OrchestratorOptions) {
    this.opts = opts;
    this.now = opts.now ?? Date.now;
  }

  /** kick asks for a pass soon. */
  kick(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopped) return;
      try {
        this.pass();
      } catch (err) {
        this.opts.log.error('orchestrator: pass failed', err);
        this.wakeIn(1000);
      }
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
  }

  /** pass runs one reconcile + schedule and stores the result. */
  pass(): void {
    const { store } = this.opts;
    const now = this.now();
    const services = store.allServices();
    const nodes = store.allNodes();
    const plan = reconcile({ services, tasks: store.allTasks(), nodes, now, newId: this.opts.newId });

    const changed = new Map<string, Task>();
    for (const u of plan.update) {
      const t = changed.get(u.id) ?? store.task(u.id);
      if (!t) continue;
      const next: Task = { ...t, updatedAt: now };
      if (u.desiredState !== undefined) next.desiredState = u.desiredState;
      if (u.state !== undefined) next.state = u.state;
      if (u.error !== undefined) next.error = u.error;
      changed.set(next.id, next);
    }
    for (const t of plan.create) changed.set(t.id, t);
    const removed = new Set(plan.remove);
    for (const id of removed) changed.delete(id);

    // Schedule over the tasks as they will be after this plan.
    const after: Task[] = [];
    for (const t of store.allTasks()) if (!removed.has(t.id)) after.push(changed.get(t.id) ?? t);
    for (const t of plan.create) if (!removed.has(t.id)) after.push(t);
    const byName = new Map<string, Service>(services.map((s) => [s.name, s]));
    const result = schedule({ tasks: after, nodes, services: byName });
    const index = new Map(after.map((t) => [t.id, t]));
    for (const p of result.placements) {
      const t = index.get(p.taskId);
      if (!t) continue;
      changed.set(t.id, { ...t, nodeId: p.nodeId, state: 'assigned', error: '', updatedAt: now });
    }
    for (const u of result.unplaced) {
      const t = index.get(u.taskId);
      if (!t || (t.state === 'pending' && t.error === u.reason)) continue;
      changed.set(t.id, { ...t, state: 'pending', error: u.reason, updatedAt: now });
    }

    if (changed.size > 0 || removed.size > 0) {
      const batch: Batch = { putTasks: [...changed.values()], deleteTasks: [...removed] };
      store.update(batch);
      this.opts.onTasks(batch.putTasks ?? [], batch.deleteTasks ?? []);
    }
    this.passes++;
    if (plan.wakeAt !== undefined) this.wakeIn(Math.max(0, plan.wakeAt - now));
    // Unplaced tasks are retried when nodes change (kick); also poll slowly.
    else if (result.unplaced.length > 0) this.wakeIn(2000);
  }

  private wakeIn(ms: number): void {
    if (this.stopped) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => this.kick(), ms);
    this.wakeTimer.unref();
  }
}

/** nodeName returns a node's name for messages, or its id when unknown. */
export function nodeName(nodes: Node[], id: string): string {
  return nodes.find((n) => n.id === id)?.name ?? id;
}
