/**
 * Isolation of task host ports. Each target port of a task is bound on an
 * ephemeral host port on every address of its node, so that the proxies and
 * the routing mesh of every node reach it; without more, a container of any
 * stack could reach it too. The agent keeps three netfilter chains, rebuilt
 * from the registry view on every change, that refuse new connections from
 * containers (traffic coming in from the engine's bridges, `docker0` and
 * `br-+`) to those ports:
 *
 * - the IN chain (jumped to first from INPUT) refuses this node's task ports
 *   at any address of the node, where `docker-proxy` would take them;
 * - the NAT chain (jumped to first from nat PREROUTING) keeps the engine from
 *   DNATing them to the task (an engine without the userland proxy does, for
 *   containers too), so that they meet the IN chain: a refusal after DNAT
 *   would not reach the client, which would wait for a timeout instead;
 * - the FWD chain (jumped to first from DOCKER-USER, or FORWARD without it)
 *   drops what was DNATed all the same (matched on the original destination
 *   port), and refuses other nodes' task ports at their node addresses: a
 *   container's connection to another host leaves masqueraded as this node,
 *   which the other node cannot tell from the mesh's own traffic, so it is
 *   refused here, before it leaves.
 *
 * Traffic the host itself makes (the proxies and the routing mesh) passes.
 * Published ports of the routing mesh are not task ports; `mode: host` ports
 * are public by design and left open; VIPs and DNS (10.233.0.0/16) and task
 * addresses (10.234.0.0/15) answer containers themselves, and their proxies
 * check which stacks may use them.
 */
import { execFile, spawn } from 'node:child_process';
import { TASK_ADDRESS_NETWORK, VIP_NETWORK, clipText, escapeControl, type PortMapping, type RegistryEntry } from '@cluster/core';
import { kernelChainOf, withKernelRules } from './kernelPath.js';
import { staleChains } from './staleChains.js';
import { ipv4ToNumber } from './subnets.js';

/** BRIDGES are the interfaces container traffic comes in from (iptables `-i` patterns). */
export const BRIDGES = ['docker0', 'br-+'];

/** TaskPort is one host port a task answers on that only hosts may reach. */
export interface TaskPort {
  /** address is the node address of the task. */
  address: string;
  port: number;
  protocol: 'tcp' | 'udp';
  /** local is true for a task of this node. */
  local: boolean;
}

/** IsolationChains names the two chains of one agent. */
export interface IsolationChains {
  input: string;
  forward: string;
  /** nat is in the nat table; the others in the filter table. */
  nat: string;
}

/** chainsOf returns the chain names of a node (at most 28 characters, as iptables requires). */
export function chainsOf(nodeId: string): IsolationChains {
  const id = nodeId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12) || 'node';
  return { input: `CLUSTER-${id}-IN`, forward: `CLUSTER-${id}-FWD`, nat: `CLUSTER-${id}-NAT` };
}

/**
 * isRuleAddress tells whether a node address may go into a rule: a plain
 * IPv4 address (iptables takes no other), nothing else. Addresses come from
 * the manager, which had them from nodes: never pasted unchecked.
 */
export function isRuleAddress(address: string): boolean {
  return ipv4ToNumber(address) >= 0;
}

/** isRulePort tells whether a port number may go into a rule: a whole number from 1 to 65535. */
function isRulePort(port: number): boolean {
  return Number.isInteger(port) && port > 0 && port < 65536;
}

/**
 * taskPorts lists the host ports of every serving task in the view, and the
 * `local` ports of this node's running tasks (serving or not yet: starting,
 * unhealthy, stopping), sorted and without duplicates; a port a `mode: host`
 * published port of the same service binds (of any service, for `local`
 * ports, which come without their service) is public and left out. An
 * endpoint of another node whose address is not an IPv4 address is left
 * out and handed to `dropped` (it cannot be matched, and must never reach
 * the rules' text).
 */
export function taskPorts(entries: RegistryEntry[], nodeId: string, local: PortMapping[] = [], dropped: (address: string) => void = () => undefined): TaskPort[] {
  const out = new Map<string, TaskPort>();
  const hostMode = new Set(entries.flatMap((e) => e.ports.filter((p) => p.mode === 'host' && p.published > 0).map((p) => `${p.protocol}/${p.published}`)));
  for (const p of local) {
    if (isRulePort(p.hostPort) && !hostMode.has(`${p.protocol}/${p.hostPort}`)) out.set(`/${p.protocol}/${p.hostPort}`, { address: '', port: p.hostPort, protocol: p.protocol, local: true });
  }
  for (const e of entries) {
    const publicPorts = new Set(e.ports.filter((p) => p.mode === 'host' && p.published > 0).map((p) => `${p.protocol}/${p.published}`));
    for (const ep of e.endpoints) {
      for (const p of ep.ports) {
        if (!isRulePort(p.hostPort) || publicPorts.has(`${p.protocol}/${p.hostPort}`)) continue;
        const local = ep.nodeId === nodeId;
        if (!local && ep.nodeAddress === '') continue;
        if (!local && !isRuleAddress(ep.nodeAddress)) {
          dropped(ep.nodeAddress);
          continue;
        }
        const key = `${local ? '' : ep.nodeAddress}/${p.protocol}/${p.hostPort}`;
        if (!out.has(key)) out.set(key, { address: ep.nodeAddress, port: p.hostPort, protocol: p.protocol, local });
      }
    }
  }
  // This node's ports first, by protocol and port (their address does not matter); then by node address.
  return [...out.values()].sort((a, b) => Number(b.local) - Number(a.local) || (a.local ? 0 : a.address.localeCompare(b.address)) || a.protocol.localeCompare(b.protocol) || a.port - b.port);
}

/**
 * isolationRules returns the `iptables-restore --noflush` input that
 * replaces the contents of the chains in one transaction (declaring a chain
 * flushes it). Only new connections are refused: TCP with a reset, UDP with
 * port unreachable, so a client fails at once instead of waiting. Every
 * value is checked before it is written: a port with an address that is not
 * IPv4 (of another node), a port number out of range or another protocol
 * makes no rule, so no text a node chose can end a rule and start another.
 */
export function isolationRules(input: TaskPort[], chains: IsolationChains, bridges: string[] = BRIDGES): string {
  const ports = input.filter((p) => (p.protocol === 'tcp' || p.protocol === 'udp') && isRulePort(p.port) && (p.local || isRuleAddress(p.address)));
  const lines = ['*filter', `:${chains.input} - [0:0]`, `:${chains.forward} - [0:0]`];
  lines.push(`-A ${chains.input} -m conntrack ! --ctstate NEW -j RETURN`);
  lines.push(`-A ${chains.input} -d ${VIP_NETWORK}/16 -j RETURN`, `-A ${chains.input} -d ${TASK_ADDRESS_NETWORK} -j RETURN`);
  lines.push(`-A ${chains.forward} -m conntrack ! --ctstate NEW -j RETURN`);
  const reject = (p: TaskPort): string => (p.protocol === 'tcp' ? '-j REJECT --reject-with tcp-reset' : '-j REJECT --reject-with icmp-port-unreachable');
  for (const p of ports) {
    for (const b of bridges) {
      if (p.local) {
        lines.push(`-A ${chains.input} -i ${b} -p ${p.protocol} -m ${p.protocol} --dport ${p.port} ${reject(p)}`);
        lines.push(`-A ${chains.forward} -i ${b} -p ${p.protocol} -m conntrack --ctstate DNAT --ctorigdstport ${p.port} -j DROP`);
      } else {
        lines.push(`-A ${chains.forward} -i ${b} -d ${p.address}/32 -p ${p.protocol} -m ${p.protocol} --dport ${p.port} ${reject(p)}`);
      }
    }
  }
  lines.push('COMMIT', '*nat', `:${chains.nat} - [0:0]`);
  for (const p of ports) {
    if (!p.local) continue;
    // ACCEPT ends the nat table's walk for the connection: no DNAT, the packet goes to INPUT.
    for (const b of bridges) lines.push(`-A ${chains.nat} -i ${b} -p ${p.protocol} -m ${p.protocol} --dport ${p.port} -m addrtype --dst-type LOCAL -j ACCEPT`);
  }
  lines.push('COMMIT', '');
  return lines.join('\n');
}

/** withNatJump puts a jump to `to` first in the NAT chain of restore input (after the nat table's chain declarations). */
export function withNatJump(rules: string, nat: string, to: string): string {
  const lines = rules.split('\n');
  const start = lines.indexOf('*nat');
  if (start < 0) return rules;
  let i = start + 1;
  while (i < lines.length && lines[i]!.startsWith(':')) i++;
  lines.splice(i, 0, `-A ${nat} -j ${to}`);
  return lines.join('\n');
}

/** JUMP_COMMENT starts the comment on every jump an agent adds; the pid tells a dead agent's jumps. */
export const JUMP_COMMENT = 'cluster agent pid';

/** StaleJump is a jump to a cluster chain from a built-in chain, found in `iptables -S` output. */
export interface StaleJump {
  /** rule is the rule's arguments after `-A`, for `iptables -D`. */
  rule: string[];
  chain: string;
  pid: number;
}

/** clusterJumps lists the jumps to cluster chains in `iptables -S` output, with the pid of the agent that added each. */
export function clusterJumps(listing: string): StaleJump[] {
  const out: StaleJump[] = [];
  for (const line of listing.split('\n')) {
    if (!line.startsWith('-A ')) continue;
    const args = splitArgs(line).slice(1);
    const j = args.indexOf('-j');
    const chain = j >= 0 ? args[j + 1] ?? '' : '';
    if (!chain.startsWith('CLUSTER-')) continue;
    const c = args.indexOf('--comment');
    const m = c >= 0 ? new RegExp(`^${JUMP_COMMENT} (\\d+)$`).exec(args[c + 1] ?? '') : null;
    if (!m) continue;
    out.push({ rule: args, chain, pid: Number(m[1]) });
  }
  return out;
}

/**
 * jumpFirst tells whether a built-in chain's listing (`iptables -S CHAIN`)
 * has this agent's jump to `to` ahead of every rule but other agents' jumps
 * (agents of several clusters may share a host).
 */
export function jumpFirst(listing: string, to: string, pid: number): boolean {
  for (const line of listing.split('\n')) {
    if (!line.startsWith('-A ')) continue;
    const [j] = clusterJumps(line);
    if (!j) return false;
    if (j.chain === to && j.pid === pid) return true;
  }
  return false;
}

/** splitArgs splits one line of `iptables -S` into arguments (double quotes group, as iptables prints them). */
export function splitArgs(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? ''));
  return out;
}

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
