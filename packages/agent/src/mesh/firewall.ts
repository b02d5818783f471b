/**
 * Firewall applies the isolation chains of isolationRules.ts (what they
 * refuse, and why, is said there) and keeps the jumps to them first in the
 * built-in chains; iptablesListing.ts reads the listings it checks.
 */
import { execFile, spawn } from 'node:child_process';
import { clipText, escapeControl, type PortMapping, type RegistryEntry } from '@cluster/core';
import { chainsOf, isolationRules, taskPorts, withNatJump, type IsolationChains } from './isolationRules.js';
import { JUMP_COMMENT, clusterJumps, jumpFirst } from './iptablesListing.js';
import { kernelChainOf, withKernelRules } from './kernelPath.js';
import { staleChains } from './staleChains.js';

/** Iptables runs iptables commands; `input` goes to stdin. */
export type Iptables = (command: 'iptables' | 'iptables-restore', args: string[], input?: string) => Promise<string>;

/** FirewallOptions configure an agent's isolation chains. */
export interface FirewallOptions {
  /** nodeId is this node: its tasks' ports are matched on any local address, and the chains are named after it. */
  nodeId: string;
  log: (msg: string) => void;
  /** iptables runs the commands. @default the `iptables` and `iptables-restore` programs, with `-w` */
  iptables?: Iptables;
  /** checkMs is how often the jumps are checked (the engine may re-create DOCKER-USER). @default 5000 */
  checkMs?: number;
  /** alive tells whether a process still runs (stale jumps of dead agents are removed). @default signal 0 */
  alive?: (pid: number) => boolean;
  /** kernel makes the kernel path's rules from the view (kernelPath.ts); its chain is jumped to from nat OUTPUT and the end of the NAT chain. @default none */
  kernel?: (entries: RegistryEntry[]) => { nat: string[]; forward: string[] };
  /** overlay is the overlay's VIP chain (overlay.ts): jumped to first from the NAT chain, so VIP connections from containers are balanced in the kernel. @default none */
  overlay?: string;
}

/**
 * Firewall keeps this node's isolation chains in step with the registry
 * view: `update` after every change rebuilds them atomically (runs are
 * serialized, and only the last view of a burst is applied); `stop` removes
 * the chains and their jumps.
 */
export class Firewall {
  private readonly o: FirewallOptions;
  private readonly chains: IsolationChains;
  private readonly run: Iptables;
  private readonly comment: string;
  private applied: string | undefined;
  private pending: RegistryEntry[] | undefined;
  private view: RegistryEntry[] = [];
  private readonly running = new Map<string, PortMapping[]>();
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failing = false;
  private jumped = false;
  /** droppedAddresses are the endpoint addresses already logged as left out (at most 100). */
  private readonly droppedAddresses = new Set<string>();

  constructor(o: FirewallOptions) {
    this.o = o;
    this.chains = chainsOf(o.nodeId);
    this.run = o.iptables ?? runIptables;
    this.comment = `${JUMP_COMMENT} ${process.pid}`;
  }

  /** chainNames are the names of this node's chains. */
  get chainNames(): IsolationChains {
    return { ...this.chains };
  }

  /** start removes the jumps of dead agents, makes the (empty) chains and their jumps, and checks the jumps every checkMs. */
  async start(): Promise<void> {
    await this.removeStale().catch((err: Error) => this.o.log(`mesh: firewall: removing stale rules: ${err.message}`));
    await this.enqueue([]);
    this.timer = setInterval(() => {
      this.queue = this.queue.then(() => this.ensureJumps()).catch((err: Error) => this.report(err));
    }, this.o.checkMs ?? 5000);
    this.timer.unref();
  }

  /** update rebuilds the chains from a view of the registry. */
  update(entries: RegistryEntry[]): Promise<void> {
    this.view = entries;
    return this.enqueue(entries);
  }

  /**
   * observe takes observations of this node's tasks: the ports of a running
   * task are covered before it enters the registry (starting, unhealthy) and
   * after it leaves it, until it stops.
   */
  observe(batch: { taskId: string; ports?: PortMapping[] }[]): Promise<void> {
    let changed = false;
    for (const o of batch) {
      const ports = o.ports ?? [];
      const before = this.running.get(o.taskId);
      if (ports.length === 0) changed = this.running.delete(o.taskId) || changed;
      else if (JSON.stringify(before) !== JSON.stringify(ports)) {
        this.running.set(o.taskId, ports);
        changed = true;
      }
    }
    return changed ? this.enqueue(this.view) : this.queue;
  }

  /** stop removes the jumps and the chains. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.queue;
    const all: [string, string, string][] = [['filter', 'INPUT', this.chains.input], ['filter', 'DOCKER-USER', this.chains.forward], ['filter', 'FORWARD', this.chains.forward], ['nat', 'PREROUTING', this.chains.nat]];
    if (this.o.kernel) all.push(['nat', 'OUTPUT', kernelChainOf(this.chains)]);
    for (const [table, from, to] of all) {
      for (let i = 0; i < 10; i++) {
        const gone = await this.run('iptables', ['-t', table, '-D', from, ...this.jump(to)]).then(() => false, () => true);
        if (gone) break;
      }
    }
    for (const [table, c] of [['filter', this.chains.input], ['filter', this.chains.forward], ['nat', this.chains.nat], ...(this.o.kernel ? [['nat', kernelChainOf(this.chains)] as const] : [])] as const) {
      await this.run('iptables', ['-t', table, '-F', c]).catch(() => undefined);
      await this.run('iptables', ['-t', table, '-X', c]).catch(() => undefined);
    }
    this.o.log(`mesh: firewall: removed ${this.chains.input}, ${this.chains.forward} and ${this.chains.nat}`);
  }

  private enqueue(entries: RegistryEntry[]): Promise<void> {
    const first = this.pending === undefined;
    this.pending = entries;
    if (!first) return this.queue;
    this.queue = this.queue
      .then(async () => {
        const view = this.pending ?? [];
        this.pending = undefined;
        if (this.stopped) return;
        const isolation = isolationRules(taskPorts(view, this.o.nodeId, [...this.running.values()].flat(), (a) => this.dropped(a)), this.chains);
        const withKernel = this.o.kernel ? withKernelRules(isolation, this.chains, kernelChainOf(this.chains), this.o.kernel(view)) : isolation;
        const rules = this.o.overlay ? withNatJump(withKernel, this.chains.nat, this.o.overlay) : withKernel;
        if (rules !== this.applied) {
          await this.run('iptables-restore', ['--noflush'], rules);
          this.applied = rules;
        }
        // The jumps are made once here, then checked by the timer: a rebuild does not touch them.
        if (!this.jumped) await this.ensureJumps();
        this.failing = false;
      })
      .catch((err: Error) => this.report(err));
    return this.queue;
  }

  /** dropped logs, once per address, an endpoint left out of the rules for its address. */
  private dropped(address: string): void {
    if (this.droppedAddresses.has(address) || this.droppedAddresses.size >= 100) return;
    this.droppedAddresses.add(address);
    this.o.log(`mesh: firewall: endpoint address "${escapeControl(clipText(address, 80))}" is not an IPv4 address; left out of the rules`);
  }

  private report(err: Error): void {
    // One line per failing stretch, not one per registry change.
    if (!this.failing) this.o.log(`mesh: firewall: ${err.message}`);
    this.failing = true;
  }

  private jump(to: string): string[] {
    return ['-m', 'comment', '--comment', this.comment, '-j', to];
  }

  /** ensureJumps makes each chain's jump the first rule of its built-in chain (the engine inserts rules of its own). */
  private async ensureJumps(): Promise<void> {
    if (this.stopped) return;
    const dockerUser = await this.run('iptables', ['-S', 'DOCKER-USER']).then(() => true, () => false);
    const jumps: [string, string, string][] = [['filter', 'INPUT', this.chains.input], ['filter', dockerUser ? 'DOCKER-USER' : 'FORWARD', this.chains.forward], ['nat', 'PREROUTING', this.chains.nat]];
    if (this.o.kernel) jumps.push(['nat', 'OUTPUT', kernelChainOf(this.chains)]);
    for (const [table, from, to] of jumps) {
      if (jumpFirst(await this.run('iptables', ['-t', table, '-S', from]), to, process.pid)) continue;
      // Not first (or not there): take out any jump of ours further down, then put it first.
      for (let i = 0; i < 10; i++) if (!(await this.run('iptables', ['-t', table, '-D', from, ...this.jump(to)]).then(() => true, () => false))) break;
      await this.run('iptables', ['-t', table, '-I', from, '1', ...this.jump(to)]);
      if (this.jumped) this.o.log(`mesh: firewall: jump to ${to} put back first in ${from}`);
    }
    this.jumped = true;
  }

  /**
   * removeStale removes jumps added by agents that no longer run, then every
   * cluster chain no live agent uses (a killed agent's, of any node; this
   * node's own are kept and rebuilt): all are flushed first, so chains that
   * jump to each other go too.
   */
  private async removeStale(): Promise<void> {
    const alive = this.o.alive ?? isAlive;
    // Every chain named after this node is the agent's own (the isolation, kernel path and overlay chains): rebuilt, not removed.
    const prefix = this.chains.input.slice(0, -'IN'.length);
    const ours = (chain: string): boolean => chain.startsWith(prefix);
    const dropped: string[] = [];
    for (const table of ['filter', 'nat']) {
      const listing = await this.run('iptables', ['-t', table, '-S']);
      for (const j of clusterJumps(listing)) {
        if (j.pid === process.pid || alive(j.pid)) continue;
        await this.run('iptables', ['-t', table, '-D', ...j.rule]).catch(() => undefined);
      }
      const stale = staleChains(listing, ours, alive);
      for (const c of stale) await this.run('iptables', ['-t', table, '-F', c]).catch(() => undefined);
      for (const c of stale) {
        if (await this.run('iptables', ['-t', table, '-X', c]).then(() => true, () => false)) dropped.push(c);
      }
    }
    if (dropped.length > 0) this.o.log(`mesh: firewall: removed chains no running agent uses: ${dropped.join(', ')}`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** runIptables runs `iptables -w …` or `iptables-restore -w …` with input on stdin, bounded to 10 s. */
function runIptables(command: 'iptables' | 'iptables-restore', args: string[], input?: string): Promise<string> {
  const full = ['-w', ...args];
  if (input === undefined) {
    return new Promise((resolve, reject) => {
      execFile(command, full, { timeout: 10000, maxBuffer: 64 * 1024 * 1024 }, (err, out, stderr) => (err ? reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(out)));
    });
  }
  return new Promise((resolve, reject) => {
    const p = spawn(command, full, { stdio: ['pipe', 'pipe', 'pipe'], timeout: 10000 });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    p.stdout.resume();
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve('') : reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || `exit ${code}`}`))));
    // A program that fails before reading its input closes the pipe: its exit status tells.
    p.stdin.on('error', () => undefined);
    p.stdin.end(input);
  });
}
