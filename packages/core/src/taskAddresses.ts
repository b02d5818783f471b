/**
 * Task addresses: a virtual IPv4 address per serving task of a service with
 * ports, so that `tasks.NAME` names every task on its own and a client can
 * reach one replica, not just any. The manager allocates them from
 * TASK_ADDRESS_NETWORK (outside the VIPs' 10.233.0.0/16 and the DNS address)
 * and stores each with its task; every agent proxies each address to exactly
 * its task, as it proxies a VIP to any task of the service.
 */
import { ClusterError } from './errors.js';
import { copyTask, shouldRun, type Node, type Service, type Task } from './model.js';
import { isServing } from './registry.js';

/** TASK_ADDRESS_NETWORK is the range task addresses come from: 10.234.0.1 - 10.235.255.254. */
export const TASK_ADDRESS_NETWORK = '10.234.0.0/15';
/** TASK_ADDRESS_BASE is 10.234.0.0 as a number. */
const TASK_ADDRESS_BASE = ((10 << 24) >>> 0) + (234 << 16);
/** TASK_ADDRESS_FIRST and TASK_ADDRESS_LAST bound the host part (network and broadcast left out). */
const TASK_ADDRESS_FIRST = 1;
const TASK_ADDRESS_LAST = 2 * 65536 - 2;

/** taskAddressOf returns the address of host number `n` of the range. */
export function taskAddressOf(n: number): string {
  const v = TASK_ADDRESS_BASE + n;
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** taskAddressNumber returns the host number of a task address, or -1 if it is none. */
export function taskAddressNumber(address: string): number {
  const m = /^10\.(234|235)\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m) return -1;
  const [b, c, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (c > 255 || d > 255) return -1;
  const n = (b - 234) * 65536 + c * 256 + d;
  return n >= TASK_ADDRESS_FIRST && n <= TASK_ADDRESS_LAST ? n : -1;
}

/** TaskAddressPoolOptions configure a pool; the bounds exist for tests. */
export interface TaskAddressPoolOptions {
  /** first host number handed out. @default 1 (10.234.0.1) */
  first?: number;
  /** last host number handed out. @default 131070 (10.235.255.254) */
  last?: number;
}

/**
 * TaskAddressPool says which task holds which address. It hands addresses
 * out round the range from a cursor, so an address released comes back into
 * use as late as possible, and an allocation costs O(1) while the range is
 * far from full (it scans past held addresses only).
 */
export class TaskAddressPool {
  private readonly first: number;
  private readonly last: number;
  private readonly byNumber = new Map<number, string>();
  private readonly byTask = new Map<string, { n: number; address: string }>();
  private cursor: number;

  constructor(o: TaskAddressPoolOptions = {}) {
    this.first = o.first ?? TASK_ADDRESS_FIRST;
    this.last = o.last ?? TASK_ADDRESS_LAST;
    this.cursor = this.first;
  }

  /** size is the number of addresses held. */
  get size(): number {
    return this.byTask.size;
  }

  /** capacity is the number of addresses in the pool. */
  get capacity(): number {
    return this.last - this.first + 1;
  }

  /** addressOf returns the address a task holds, if any. */
  addressOf(taskId: string): string | undefined {
    return this.byTask.get(taskId)?.address;
  }

  /** holders lists the tasks that hold an address. */
  holders(): IterableIterator<string> {
    return this.byTask.keys();
  }

  /**
   * claim records that a task holds an address it was given before (a
   * manager restart reads them from the store). It returns false when the
   * address is out of the range or another task holds it.
   */
  claim(taskId: string, address: string): boolean {
    // The common case, every pass: the task holds it already.
    if (this.byTask.get(taskId)?.address === address) return true;
    const n = taskAddressNumber(address);
    if (n < this.first || n > this.last) return false;
    const holder = this.byNumber.get(n);
    if (holder !== undefined) return holder === taskId;
    this.release(taskId);
    this.byNumber.set(n, taskId);
    this.byTask.set(taskId, { n, address });
    return true;
  }

  /** allocate gives a task an address (the one it holds, if any); throws when every address is held. */
  allocate(taskId: string): string {
    const held = this.byTask.get(taskId);
    if (held !== undefined) return held.address;
    if (this.byNumber.size >= this.capacity) {
      throw new ClusterError('unavailable', `task addresses: all ${this.capacity} addresses of ${TASK_ADDRESS_NETWORK} are held by live tasks; task ${taskId} gets none`);
    }
    let n = this.cursor;
    while (this.byNumber.has(n)) n = n >= this.last ? this.first : n + 1;
    this.cursor = n >= this.last ? this.first : n + 1;
    const address = taskAddressOf(n);
    this.byNumber.set(n, taskId);
    this.byTask.set(taskId, { n, address });
    return address;
  }

  /** release frees the address of a task, if it holds one. */
  release(taskId: string): void {
    const held = this.byTask.get(taskId);
    if (held === undefined) return;
    this.byTask.delete(taskId);
    this.byNumber.delete(held.n);
  }
}

/** TaskAddressPlan is what a pass of assignTaskAddresses changed. */
export interface TaskAddressPlan {
  /** assigned are tasks that got an address, to store. */
  assigned: Task[];
  /** failed is the error of the tasks that should have one and got none (the range is full). */
  failed: { taskId: string; error: ClusterError }[];
}

/**
 * assignTaskAddresses brings a pool up to date with the tasks of the store
 * and gives an address to every serving task of a service with ports that
 * has none. A task keeps its address while it is live (it should run and has
 * not finished), also while it is unhealthy or its node is down; the address
 * is free again once the task is told to stop, has finished, or is gone from
 * the store. Services without ports get none: there is nothing to proxy; nor
 * do tasks on the overlay (with network addresses): they are reached at those.
 * The cost is a few map look-ups per task (none when no service has ports
 * and no address is held), and one scan of the pool when a holder was
 * removed from the store.
 */
export function assignTaskAddresses(pool: TaskAddressPool, services: Iterable<Service>, tasks: Task[], nodes: Iterable<Node>): TaskAddressPlan {
  const plan: TaskAddressPlan = { assigned: [], failed: [] };
  const withPorts = new Set<string>();
  for (const s of services) if (s.spec.ports.length > 0) withPorts.add(s.name);
  // No service with ports and no address held: nothing to look at.
  if (withPorts.size === 0 && pool.size === 0) return plan;
  const byNode = new Map<string, Node>();
  for (const n of nodes) byNode.set(n.id, n);
  let held = 0;
  const want: Task[] = [];
  for (const t of tasks) {
    if (!shouldRun(t)) {
      pool.release(t.id);
      continue;
    }
    if (t.address && pool.claim(t.id, t.address)) {
      held++;
      continue;
    }
    // A task on the overlay is reached at its own address there: it needs none of these.
    if (withPorts.has(t.service) && isServing(t, byNode.get(t.nodeId)) && !(t.networks && t.networks.length > 0)) want.push(t);
  }
  if (pool.size > held) {
    // Some holder may be gone from the store: free its address before handing out new ones.
    const ids = new Set(tasks.map((t) => t.id));
    for (const id of [...pool.holders()]) if (!ids.has(id)) pool.release(id);
  }
  // Stored addresses are claimed first, so that a new one never takes an address a live task holds.
  for (const t of want) {
    try {
      plan.assigned.push(copyTask(t, t.ports, pool.allocate(t.id)));
    } catch (err) {
      if (!(err instanceof ClusterError)) throw err;
      plan.failed.push({ taskId: t.id, error: err });
    }
  }
  return plan;
}
