import Database from 'better-sqlite3';
import { ClusterError, MAX_ERROR_CHARS, formatSpecProblems, clipText, validateServiceSpec, type Node, type Service, type Task } from '@cluster/core';
import { diskWriteError } from './diskWriteError.js';
import { STORE_KEY_FILE, StoreSeal, isSealed } from './storeSeal.js';
import type { Logger } from './log.js';
import { ChangeFeed, type RecordKind, type StoreWatcher, type Unwatch } from './changeFeed.js';
import { TaskIndex } from './taskIndex.js';
import type { Batch, InvalidService, Store, StoreView } from './store.js';

/** FLUSH_MS is the longest deferred writes (putTasksSoon, putNodesSoon) wait for their transaction. */
const FLUSH_MS = 100;
/** RETRY_MS is how long deferred writes that the disk refused wait before the next try. */
const RETRY_MS = 1000;

/** StoreOptions are the optional parts of SqliteStore.open. */
export interface StoreOptions {
  /** log receives the store's own events: the disk refusing writes, and writing again. @default none */
  log?: Logger;
  /**
   * sealKey (32 bytes, loadOrCreateStoreKey) encrypts at rest what must not
   * be kept in clear: service specs (they hold secrets) and the join token
   * secret. Records of an older store written in clear are sealed when it
   * opens. @default none: kept in clear (tests of the store alone)
   */
  sealKey?: Buffer;
}

/** SEALED_META are the metadata keys sealed at rest, with every key under SEALED_META_PREFIX. */
const SEALED_META: ReadonlySet<string> = new Set(['token.secret']);
/** SEALED_META_PREFIX starts the metadata keys sealed at rest whatever follows (secrets and configs made in the cluster). */
export const SEALED_META_PREFIX = 'sealed/';

/** isSealedMeta tells whether a metadata key is sealed at rest. */
function isSealedMeta(key: string): boolean {
  return SEALED_META.has(key) || key.startsWith(SEALED_META_PREFIX);
}

/**
 * SqliteStore is the Store of one manager: embedded and crash-safe, nodes,
 * services, tasks and cluster metadata in SQLite (WAL, synchronous FULL), so a
 * `kill -9` at any moment loses at most the transaction in flight. Records are
 * kept in memory too; reads never touch the disk. Every write that reaches
 * memory is told to the watchers (ChangeFeed), a write refused is not.
 *
 * A write the disk refuses (full, read-only, failing) throws a ClusterError
 * that says so (diskWriteError) and changes nothing, on disk or in memory;
 * deferred writes stay queued and are tried again every RETRY_MS, so the
 * store carries on by itself once space returns. The first refusal and the
 * first write after are logged.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly path: string;
  private readonly log: Logger | undefined;
  private readonly seal: StoreSeal | undefined;
  /** refused is the disk's last refusal while writes fail, undefined while they work. */
  private refused: Error | undefined;
  /** refusals counts the writes refused since the last one that worked. */
  private refusals = 0;
  /** pendingMemory holds the in-memory effects of updates made inside transaction(), applied once it commits. */
  private pendingMemory: (() => void)[] | undefined;
  private readonly nodes = new Map<string, Node>();
  private readonly services = new Map<string, Service>();
  /**
   * invalid holds the services read from disk whose spec the validator
   * refuses (a store written before the manager checked specs): they stay on
   * disk, are left out of every reader, and are replaced by a new deploy or
   * deleted with their stack.
   */
  private readonly invalid = new Map<string, InvalidService>();
  private readonly tasks = new TaskIndex();
  /** feed tells watchers what was written. */
  private readonly feed: ChangeFeed;
  /** deferred holds tasks written to memory whose disk write waits for the next flush. */
  private deferred = new Map<string, Task>();
  /** deferredNodes holds nodes written to memory whose disk write waits for the next flush. */
  private deferredNodes = new Map<string, Node>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly stmts: {
    put: Record<Table, Database.Statement>;
    del: Record<Table, Database.Statement>;
    getMeta: Database.Statement;
    putMeta: Database.Statement;
  };

  private constructor(db: Database.Database, path: string, log: Logger | undefined, seal: StoreSeal | undefined) {
    this.db = db;
    this.path = path;
    this.log = log;
    this.seal = seal;
    this.feed = new ChangeFeed((err) => log?.error('store: a watcher failed', err));
    const put = {} as Record<Table, Database.Statement>;
    const del = {} as Record<Table, Database.Statement>;
    for (const t of TABLES) {
      put[t] = db.prepare(`INSERT INTO ${t} (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body`);
      del[t] = db.prepare(`DELETE FROM ${t} WHERE id = ?`);
    }
    this.stmts = {
      put,
      del,
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      putMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
    for (const row of db.prepare('SELECT body FROM nodes').all() as Row[]) {
      const n = JSON.parse(row.body) as Node;
      this.nodes.set(n.id, n);
    }
    const inClear: Service[] = [];
    for (const row of db.prepare('SELECT id, body FROM services').all() as (Row & { id: string })[]) {
      const s = JSON.parse(this.unseal(`services/${row.id}`, row.body)) as Service;
      if (seal !== undefined && !isSealed(row.body)) inClear.push(s);
      const problem = serviceProblem(row.id, s);
      if (problem === undefined) this.services.set(s.name, s);
      else this.invalid.set(row.id, { name: row.id, stack: typeof s?.stack === 'string' ? s.stack : '', error: problem });
    }
    for (const row of db.prepare('SELECT body FROM tasks').all() as Row[]) {
      const t = JSON.parse(row.body) as Task;
      this.tasks.set(t);
    }
    if (seal !== undefined) this.sealInClear(inClear);
  }

  /**
   * sealInClear seals what an older store kept in clear (service specs, the
   * token secret), then checkpoints the WAL: with secure_delete on, the old
   * clear text is overwritten in the file, not left in free pages.
   */
  private sealInClear(services: Service[]): void {
    const meta = [...SEALED_META].map((k) => [k, (this.stmts.getMeta.get(k) as { value: string } | undefined)?.value] as const)
      .filter((e): e is readonly [string, string] => e[1] !== undefined && !isSealed(e[1]));
    if (services.length === 0 && meta.length === 0) return;
    this.db.transaction(() => {
      for (const s of services) this.stmts.put.services.run(s.name, this.sealed(`services/${s.name}`, JSON.stringify(s)));
      for (const [k, v] of meta) this.stmts.putMeta.run(k, this.sealed(`meta/${k}`, v));
    })();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.log?.info(`store: sealed ${services.length} service specs and ${meta.length} secrets kept in clear by an older version`);
  }

  /** sealed encrypts a value of record `id` when the store has a key. */
  private sealed(id: string, text: string): string {
    return this.seal === undefined ? text : this.seal.seal(id, text);
  }

  /** unseal decrypts a sealed value of record `id` (a value in clear is returned as is). */
  private unseal(id: string, value: string): string {
    if (!isSealed(value)) return value;
    if (this.seal === undefined) throw new ClusterError('internal', `store: record ${id} is sealed and no store key was given (${STORE_KEY_FILE} in the data dir)`);
    return this.seal.open(id, value);
  }

  /** SqliteStore.open opens (creating if needed) the database file at `path`. */
  static open(path: string, options: StoreOptions = {}): SqliteStore {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    // Every record is also in memory and reads never go to SQLite: its page
    // cache only serves writes. better-sqlite3 makes it 16 MB; SQLite's own
    // default of 2 MB writes as fast (100,000 tasks written 3 times, same CPU)
    // and keeps 14 MB less in a large cluster's manager.
    db.pragma('cache_size = -2000');
    for (const t of TABLES) db.exec(`CREATE TABLE IF NOT EXISTS ${t} (id TEXT PRIMARY KEY, body TEXT NOT NULL)`);
    db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    // What is deleted or replaced is overwritten with zeros, not left in free pages (a sealed value replacing a clear one).
    db.pragma('secure_delete = ON');
    return new SqliteStore(db, path, options.log, options.sealKey === undefined ? undefined : new StoreSeal(options.sealKey));
  }

  /** writeProblem is why the disk refuses writes (the last refusal's message), or undefined while writes work. */
  writeProblem(): string | undefined {
    return this.refused?.message;
  }

  getMeta(key: string): string | undefined {
    const row = this.stmts.getMeta.get(key) as { value: string } | undefined;
    return row === undefined ? undefined : this.unseal(`meta/${key}`, row.value);
  }

  /**
   * transaction runs fn so that every write it makes (update, setMeta) is one
   * SQLite transaction: one fsync instead of one per write.
   */
  transaction<T>(fn: () => T): T {
    if (this.pendingMemory) return this.db.transaction(fn)();
    const pending: (() => void)[] = [];
    this.pendingMemory = pending;
    let out: T;
    try {
      out = this.write(() => this.db.transaction(fn)());
    } finally {
      this.pendingMemory = undefined;
    }
    for (const apply of pending) apply();
    return out;
  }

  setMeta(key: string, value: string): void {
    const stored = isSealedMeta(key) ? this.sealed(`meta/${key}`, value) : value;
    this.write(() => this.stmts.putMeta.run(key, stored));
  }

  /** metaWithPrefix returns every metadata entry whose key starts with `prefix`, as [key, value]. */
  metaWithPrefix(prefix: string): [string, string][] {
    const rows = this.db.prepare('SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?').all(prefix.length, prefix) as { key: string; value: string }[];
    return rows.map((r) => [r.key, this.unseal(`meta/${r.key}`, r.value)]);
  }

  /** deleteMeta deletes metadata entries, in one transaction. */
  deleteMeta(keys: readonly string[]): void {
    const del = this.db.prepare('DELETE FROM meta WHERE key = ?');
    this.db.transaction(() => {
      for (const k of keys) del.run(k);
    })();
  }

  node(id: string): Node | undefined {
    return this.nodes.get(id);
  }
  allNodes(): Node[] {
    return [...this.nodes.values()];
  }
  service(name: string): Service | undefined {
    return this.services.get(name);
  }
  allServices(): Service[] {
    return [...this.services.values()];
  }
  invalidServices(): InvalidService[] {
    return [...this.invalid.values()];
  }
  invalidService(name: string): InvalidService | undefined {
    return this.invalid.get(name);
  }
  task(id: string): Task | undefined {
    return this.tasks.get(id);
  }
  allTasks(): Task[] {
    return this.tasks.all();
  }
  taskCount(): number {
    return this.tasks.size;
  }
  tasksOfNode(nodeId: string): Task[] {
    return this.tasks.ofNode(nodeId);
  }
  tasksOfService(name: string): Task[] {
    return this.tasks.ofService(name);
  }
  taskCountOfService(name: string): number {
    return this.tasks.countOfService(name);
  }
  nodeCount(): number {
    return this.nodes.size;
  }
  serviceNamesOfTasks(): string[] {
    return this.tasks.serviceNames();
  }
  liveTasksByNode(): ReadonlyMap<string, number> {
    return this.tasks.liveByNode();
  }

  watch(watcher: StoreWatcher, kinds?: readonly RecordKind[]): Unwatch {
    return this.feed.watch(watcher, kinds);
  }

  viewAndWatch<T>(view: (s: StoreView) => T, watcher: StoreWatcher, kinds?: readonly RecordKind[]): { view: T; unwatch: Unwatch } {
    // Reads and writes are synchronous: nothing is written between the view and the watch.
    const seen = view(this);
    return { view: seen, unwatch: this.feed.watch(watcher, kinds) };
  }

  /**
   * putTasksSoon stores tasks in memory now and on disk with the next write,
   * at most FLUSH_MS later: many small updates (agents' observations) become
   * one transaction (one fsync) per FLUSH_MS instead of one each, and the
   * states a task passes through within that time are written once. A crash
   * may lose the observations of the last FLUSH_MS; agents report them again
   * when they reconnect.
   */
  putTasksSoon(tasks: Task[]): void {
    for (const t of tasks) {
      this.deferred.set(t.id, t);
      this.tasks.set(t);
    }
    this.feed.publish('task', tasks.map((t) => t.id));
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /**
   * putNodesSoon stores nodes in memory now and on disk with the next write,
   * as putTasksSoon does tasks: for what the manager observes of a node
   * (ready, down, last heartbeat), which a restarted manager learns again
   * from the node. The cluster keeps judging its nodes while the disk
   * refuses writes.
   */
  putNodesSoon(nodes: Node[]): void {
    for (const n of nodes) {
      this.deferredNodes.set(n.id, n);
      this.nodes.set(n.id, n);
    }
    this.feed.publish('node', nodes.map((n) => n.id));
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /**
   * flush writes the deferred tasks and nodes to disk. It never throws: if
   * the disk refuses, they stay queued and flush runs again after RETRY_MS.
   */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.deferred.size === 0 && this.deferredNodes.size === 0) return;
    const tasks = this.deferred;
    const nodes = this.deferredNodes;
    this.deferred = new Map();
    this.deferredNodes = new Map();
    try {
      this.write(() => this.db.transaction(() => {
        for (const n of nodes.values()) this.stmts.put.nodes.run(n.id, JSON.stringify(n));
        for (const t of tasks.values()) this.stmts.put.tasks.run(t.id, JSON.stringify(t));
      })());
    } catch (err) {
      this.requeue(tasks, nodes);
      if (!this.refused) this.log?.error('store: deferred writes failed', err);
      this.flushTimer = setTimeout(() => this.flush(), RETRY_MS);
      this.flushTimer.unref();
    }
  }

  /** requeue puts back deferred writes that did not reach the disk, unless a newer one of the same record came since. */
  private requeue(tasks: Map<string, Task>, nodes: Map<string, Node>): void {
    for (const [id, t] of tasks) if (!this.deferred.has(id) && this.tasks.get(id) === t) this.deferred.set(id, t);
    for (const [id, n] of nodes) if (!this.deferredNodes.has(id) && this.nodes.get(id) === n) this.deferredNodes.set(id, n);
  }

  /**
   * write runs a write to the database. A refusal of the disk becomes the
   * ClusterError of diskWriteError, logged when writes start failing; the
   * first write that works again is logged too.
   */
  private write<T>(fn: () => T): T {
    // Inside a transaction the outermost write judges: only its commit reaches the disk.
    if (this.db.inTransaction) return fn();
    let out: T;
    try {
      out = fn();
    } catch (err) {
      const refusal = diskWriteError(err, this.path);
      if (!refusal) throw err;
      if (!this.refused) this.log?.error(`store: the disk refuses writes; changes are refused and observations kept in memory until it takes them again: ${refusal.message}`);
      this.refused = refusal;
      this.refusals++;
      throw refusal;
    }
    if (this.refused) {
      // Said again here: the first line may have been lost, when the log is on the disk that was full.
      this.log?.info(`store: writes work again (${this.refusals} refused meanwhile; the last: ${this.refused.message})`);
      this.refused = undefined;
      this.refusals = 0;
    }
    return out;
  }

  /**
   * update applies a batch of changes in one transaction: either all of it is
   * on disk and in memory, or none of it.
   */
  update(batch: Batch): void {
    // Deferred writes go first, so that the disk sees changes in their order
    // (inside transaction() they wait: that transaction may not commit).
    const nested = this.pendingMemory !== undefined;
    const deferred = nested ? new Map<string, Task>() : this.deferred;
    const deferredNodes = nested ? new Map<string, Node>() : this.deferredNodes;
    if (deferred.size > 0) this.deferred = new Map();
    if (deferredNodes.size > 0) this.deferredNodes = new Map();
    const tx = this.db.transaction(() => {
      for (const n of deferredNodes.values()) this.stmts.put.nodes.run(n.id, JSON.stringify(n));
      for (const t of deferred.values()) this.stmts.put.tasks.run(t.id, JSON.stringify(t));
      for (const n of batch.putNodes ?? []) this.stmts.put.nodes.run(n.id, JSON.stringify(n));
      for (const id of batch.deleteNodes ?? []) this.stmts.del.nodes.run(id);
      for (const s of batch.putServices ?? []) this.stmts.put.services.run(s.name, this.sealed(`services/${s.name}`, JSON.stringify(s)));
      for (const name of batch.deleteServices ?? []) this.stmts.del.services.run(name);
      for (const t of batch.putTasks ?? []) this.stmts.put.tasks.run(t.id, JSON.stringify(t));
      for (const id of batch.deleteTasks ?? []) this.stmts.del.tasks.run(id);
    });
    try {
      this.write(tx);
    } catch (err) {
      this.requeue(deferred, deferredNodes);
      throw err;
    }
    const apply = (): void => {
      for (const n of batch.putNodes ?? []) this.nodes.set(n.id, n);
      for (const id of batch.deleteNodes ?? []) {
        this.nodes.delete(id);
        this.deferredNodes.delete(id);
      }
      for (const s of batch.putServices ?? []) {
        this.services.set(s.name, s);
        this.invalid.delete(s.name);
      }
      for (const name of batch.deleteServices ?? []) {
        this.services.delete(name);
        this.invalid.delete(name);
      }
      for (const t of batch.putTasks ?? []) this.tasks.set(t);
      for (const id of batch.deleteTasks ?? []) {
        this.tasks.delete(id);
        this.deferred.delete(id);
      }
      this.feed.publish('node', [...(batch.putNodes ?? []).map((n) => n.id), ...(batch.deleteNodes ?? [])]);
      this.feed.publish('service', [...(batch.putServices ?? []).map((s) => s.name), ...(batch.deleteServices ?? [])]);
      this.feed.publish('task', [...(batch.putTasks ?? []).map((t) => t.id), ...(batch.deleteTasks ?? [])]);
    };
    // Inside transaction() the memory changes only once the whole transaction is on disk.
    if (this.pendingMemory) this.pendingMemory.push(apply);
    else apply();
  }

  close(): void {
    this.flush();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.db.close();
  }
}

/** serviceProblem checks a service read from disk with the validator of DeployStack; undefined when valid. */
function serviceProblem(name: string, s: Service): string | undefined {
  if (typeof s !== 'object' || s === null || s.name !== name || typeof s.stack !== 'string' || !name.startsWith(`${s.stack}_`)) return 'invalid service record';
  const problems = validateServiceSpec(name.slice(s.stack.length + 1), s.spec, 'spec');
  return problems.length === 0 ? undefined : clipText(`invalid spec: ${formatSpecProblems(problems)}`, MAX_ERROR_CHARS);
}

type Table = 'nodes' | 'services' | 'tasks';
const TABLES: Table[] = ['nodes', 'services', 'tasks'];
interface Row {
  body: string;
}
