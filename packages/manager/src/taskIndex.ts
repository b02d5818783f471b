import { isLive, type Task } from '@cluster/core';

/**
 * TaskIndex holds tasks in memory with the indexes readers use: by node, by
 * service, and the count of live tasks per node, each kept up to date on
 * every set and delete (no reader ever scans all tasks for these).
 */
export class TaskIndex {
  private readonly tasks = new Map<string, Task>();
  /** byNode indexes tasks by the node they are assigned to ('' for none). */
  private readonly byNode = new Map<string, Map<string, Task>>();
  /** byService indexes tasks by their service (full name). */
  private readonly byService = new Map<string, Map<string, Task>>();
  /** live counts, per node, the tasks that hold a place there (desired running, not finished). */
  private readonly live = new Map<string, number>();

  get(id: string): Task | undefined {
    return this.tasks.get(id);
  }
  all(): Task[] {
    return [...this.tasks.values()];
  }
  get size(): number {
    return this.tasks.size;
  }
  ofNode(nodeId: string): Task[] {
    const m = this.byNode.get(nodeId);
    return m ? [...m.values()] : [];
  }
  ofService(name: string): Task[] {
    const m = this.byService.get(name);
    return m ? [...m.values()] : [];
  }
  countOfService(name: string): number {
    return this.byService.get(name)?.size ?? 0;
  }
  serviceNames(): string[] {
    return [...this.byService.keys()];
  }
  liveByNode(): ReadonlyMap<string, number> {
    return this.live;
  }

  /** set puts a task, replacing the one of the same id. */
  set(t: Task): void {
    const old = this.tasks.get(t.id);
    if (old) {
      if (old.nodeId !== t.nodeId) removeFrom(this.byNode, old.nodeId, t.id);
      if (old.service !== t.service) removeFrom(this.byService, old.service, t.id);
      this.countLive(old, -1);
    }
    this.tasks.set(t.id, t);
    addTo(this.byNode, t.nodeId, t);
    addTo(this.byService, t.service, t);
    this.countLive(t, 1);
  }

  delete(id: string): void {
    const old = this.tasks.get(id);
    if (!old) return;
    this.tasks.delete(id);
    removeFrom(this.byNode, old.nodeId, id);
    removeFrom(this.byService, old.service, id);
    this.countLive(old, -1);
  }

  private countLive(t: Task, by: 1 | -1): void {
    if (!isLive(t)) return;
    const n = (this.live.get(t.nodeId) ?? 0) + by;
    if (n === 0) this.live.delete(t.nodeId);
    else this.live.set(t.nodeId, n);
  }
}

function addTo(index: Map<string, Map<string, Task>>, key: string, t: Task): void {
  let m = index.get(key);
  if (!m) index.set(key, (m = new Map()));
  m.set(t.id, t);
}

function removeFrom(index: Map<string, Map<string, Task>>, key: string, id: string): void {
  const m = index.get(key);
  m?.delete(id);
  if (m && m.size === 0) index.delete(key);
}
