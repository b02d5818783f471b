import type { Node, Service, Task } from '@cluster/core';
import type { RecordKind, StoreWatcher, Unwatch } from './changeFeed.js';

export type { RecordKind, StoreChanges, StoreWatcher, Unwatch } from './changeFeed.js';

/**
 * StoreView is the read side of the manager's store: nodes, services, tasks
 * and their indexes, as of the last write. Reads are from memory and never
 * fail; what a reader gets is the store's own object, which a write replaces
 * and never changes in place.
 */
export interface StoreView {
  node(id: string): Node | undefined;
  allNodes(): Node[];
  nodeCount(): number;
  /** service returns a service by full name; a service whose stored spec is invalid is not one (invalidService). */
  service(name: string): Service | undefined;
  allServices(): Service[];
  /** invalidServices lists the stored services whose spec is invalid (left out of allServices). */
  invalidServices(): InvalidService[];
  /** invalidService returns a stored service whose spec is invalid, by full name. */
  invalidService(name: string): InvalidService | undefined;
  task(id: string): Task | undefined;
  allTasks(): Task[];
  taskCount(): number;
  /** tasksOfNode returns the tasks assigned to a node, from an index (no scan of all tasks). */
  tasksOfNode(nodeId: string): Task[];
  /** tasksOfService returns the tasks of a service (full name), from an index. */
  tasksOfService(name: string): Task[];
  /** taskCountOfService counts the tasks of a service (full name). */
  taskCountOfService(name: string): number;
  /** serviceNamesOfTasks returns the names of the services that have tasks (removed services' tasks included). */
  serviceNamesOfTasks(): string[];
  /** liveTasksByNode counts, per node, its live tasks (desired running, not finished); kept up to date on every write. */
  liveTasksByNode(): ReadonlyMap<string, number>;
}

/**
 * Store is the manager's store of desired and observed state, and tells its
 * readers what changed (swarmkit's store.ViewAndWatch is the model): a
 * reader takes a view and a watch in one step (viewAndWatch), so that no
 * write falls between what it read and what it is told. Writers never say
 * who reads. SqliteStore (one manager, SQLite on its disk) is the one
 * implementation today; a replicated store for several managers is meant
 * to be another, without a change to its readers.
 *
 * A write the store cannot keep throws a ClusterError (for SqliteStore, the
 * disk refusing: diskWriteError) and changes nothing; deferred writes
 * (putTasksSoon, putNodesSoon) are in memory at once and never throw.
 */
export interface Store extends StoreView {
  /**
   * update applies a batch of changes in one transaction: either all of it
   * is stored and in memory, or none of it.
   */
  update(batch: Batch): void;
  /**
   * putTasksSoon stores tasks in memory now and durably soon after, with
   * other deferred writes: for what the manager observes (agents report it
   * again after a crash).
   */
  putTasksSoon(tasks: Task[]): void;
  /** putNodesSoon stores nodes in memory now and durably soon after, as putTasksSoon does tasks. */
  putNodesSoon(nodes: Node[]): void;
  /** flush makes the deferred writes durable now; it never throws (what is refused stays queued). */
  flush(): void;
  /** transaction runs fn so that every write it makes (update, setMeta) is one transaction. */
  transaction<T>(fn: () => T): T;
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  /** metaWithPrefix returns every metadata entry whose key starts with `prefix`, as [key, value]. */
  metaWithPrefix(prefix: string): [string, string][];
  /** deleteMeta deletes metadata entries, in one transaction. */
  deleteMeta(keys: readonly string[]): void;
  /** writeProblem is why writes are refused (the last refusal's message), or undefined while they work. */
  writeProblem(): string | undefined;
  /**
   * watch tells `watcher` of the records of `kinds` written from now on,
   * coalesced (changeFeed.ts). @default kinds: every kind
   */
  watch(watcher: StoreWatcher, kinds?: readonly RecordKind[]): Unwatch;
  /**
   * viewAndWatch reads the store with `view` and starts a watch in one step:
   * every write after the view is told to `watcher`, none before.
   */
  viewAndWatch<T>(view: (s: StoreView) => T, watcher: StoreWatcher, kinds?: readonly RecordKind[]): { view: T; unwatch: Unwatch };
  close(): void;
}

/** Batch is one transactional set of writes. */
export interface Batch {
  putNodes?: Node[];
  deleteNodes?: string[];
  putServices?: Service[];
  deleteServices?: string[];
  putTasks?: Task[];
  deleteTasks?: string[];
}

/** InvalidService is a stored service whose spec is invalid: its name, stack and what is wrong. */
export interface InvalidService {
  name: string;
  stack: string;
  error: string;
}
