/** RecordKind names the kinds of records a store keeps and tells its watchers about. */
export type RecordKind = 'node' | 'service' | 'task';

/** RECORD_KINDS are every RecordKind, the default of a watch. */
export const RECORD_KINDS: readonly RecordKind[] = ['node', 'service', 'task'];

/**
 * StoreChanges are the records written since a watcher was last told, by
 * kind: node and task ids, service full names. A record deleted is among
 * them too; the store then has no record of that id. Several writes of one
 * record count once: the watcher reads the record as it is now.
 */
export interface StoreChanges {
  nodes: ReadonlySet<string>;
  services: ReadonlySet<string>;
  tasks: ReadonlySet<string>;
}

/** StoreWatcher is told of changes, once per turn of the event loop at most. */
export type StoreWatcher = (changes: StoreChanges) => void;

/** Unwatch ends a watch: the watcher is told nothing more, not even changes already made. */
export type Unwatch = () => void;

interface Watch {
  listener: StoreWatcher;
  kinds: ReadonlySet<RecordKind>;
  pending: { nodes: Set<string>; services: Set<string>; tasks: Set<string> } | undefined;
  ended: boolean;
}

/**
 * ChangeFeed tells watchers which records a store wrote. Writes are
 * coalesced per watcher: every write made before the watcher's next turn
 * (a microtask, so after the writer's synchronous code and before any I/O)
 * is told in one call, each record once; a burst of 10,000 task writes in
 * one turn is one call. A watcher's failure is logged and stops no other.
 */
export class ChangeFeed {
  private readonly watches = new Set<Watch>();
  private readonly onError: (err: unknown) => void;

  /** @param onError receives what a watcher threw. @default ignored */
  constructor(onError: (err: unknown) => void = () => undefined) {
    this.onError = onError;
  }

  /** watch tells `listener` of later writes of records of `kinds`. @default kinds: every kind */
  watch(listener: StoreWatcher, kinds: readonly RecordKind[] = RECORD_KINDS): Unwatch {
    const w: Watch = { listener, kinds: new Set(kinds), pending: undefined, ended: false };
    this.watches.add(w);
    return () => {
      w.ended = true;
      this.watches.delete(w);
    };
  }

  /** publish records that records of one kind were written (put or deleted). */
  publish(kind: RecordKind, ids: Iterable<string>): void {
    if (this.watches.size === 0) return;
    const list = [...ids];
    if (list.length === 0) return;
    for (const w of this.watches) {
      if (!w.kinds.has(kind)) continue;
      if (!w.pending) {
        w.pending = { nodes: new Set(), services: new Set(), tasks: new Set() };
        queueMicrotask(() => this.deliver(w));
      }
      const into = kind === 'node' ? w.pending.nodes : kind === 'service' ? w.pending.services : w.pending.tasks;
      for (const id of list) into.add(id);
    }
  }

  private deliver(w: Watch): void {
    const changes = w.pending;
    w.pending = undefined;
    if (w.ended || !changes) return;
    try {
      w.listener(changes);
    } catch (err) {
      this.onError(err);
    }
  }
}
