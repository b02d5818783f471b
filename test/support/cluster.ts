import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { freePort } from '@cluster/agent';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';

/** REPO is the repository root. */
export const REPO = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');
/** CLI is the `cluster` command's entry point. */
export const CLI = join(REPO, 'packages/cli/bin/cluster.js');
/** IMAGE is the local test image (deploy/images/make-images.sh). */
export const IMAGE = 'cluster-test/busybox:latest';

/** Result is what a CLI run left behind. */
export interface Result {
  code: number;
  out: string;
  err: string;
}

/** freePort asks the kernel for a free TCP port on 127.0.0.1 (the agent's, for the tests that import it from here). */
export { freePort };

/**
 * TestCluster is a one-node cluster made by the real `cluster init` in a
 * temporary CLUSTER_HOME: a manager daemon and an agent on the root engine.
 */
export class TestCluster {
  readonly home: string;
  readonly port: number;
  readonly nodeName: string;

  private constructor(home: string, port: number, nodeName: string) {
    this.home = home;
    this.port = port;
    this.nodeName = nodeName;
  }

  /** start runs `cluster init` with `extra` flags; `beforeInit` prepares the new CLUSTER_HOME first (for example mounts a filesystem in it). */
  static async start(extra: string[] = [], beforeInit?: (home: string) => void): Promise<TestCluster> {
    const home = mkdtempSync(join(tmpdir(), 'cluster-e2e-'));
    const port = await freePort();
    const name = `e2e-${port}`;
    const c = new TestCluster(home, port, name);
    beforeInit?.(home);
    const r = c.cli(['init', '--listen', `127.0.0.1:${port}`, '--name', name, ...extra]);
    if (r.code !== 0) {
      c.stop();
      throw new Error(`cluster init failed (${r.code}): ${r.err}`);
    }
    return c;
  }

  /** cli runs `cluster ARGS` as a user would, with this cluster's CLUSTER_HOME. */
  cli(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Result {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? this.home,
      env: { ...process.env, CLUSTER_HOME: this.home, ...opts.env },
      encoding: 'utf8',
      timeout: opts.timeoutMs ?? 120000,
    });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  }

  /** json runs a listing with --format json and parses it. */
  json<T>(args: string[]): T {
    const r = this.cli([...args, '--format', 'json']);
    if (r.code !== 0) throw new Error(`cluster ${args.join(' ')} failed: ${r.err}`);
    return JSON.parse(r.out) as T;
  }

  /** managerPid is the pid of the manager daemon. */
  managerPid(): number {
    return (JSON.parse(readFileSync(join(this.home, 'data/manager/manager.json'), 'utf8')) as { pid: number }).pid;
  }

  /** agentPid is the pid of the local agent. */
  agentPid(): number {
    return Number(readFileSync(join(this.home, 'data/agent/agent.pid'), 'utf8').trim());
  }

  /**
   * stop ends the daemons this cluster started and removes its folder. The
   * agent gets SIGTERM first (up to 5 s) so that it takes its netfilter
   * chains and loopback addresses with it; what is still alive then is killed.
   */
  stop(): void {
    // Agents that joined with a data dir of their own under the home (`cluster join --data-dir HOME/NAME`) too.
    const joined = existsSync(this.home)
      ? readdirSync(this.home, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('agent.pid') && f !== join('data', 'agent', 'agent.pid'))
      : [];
    for (const f of ['data/agent/agent.pid', ...joined, 'data/manager/manager.json']) {
      const file = join(this.home, f);
      if (!existsSync(file)) continue;
      const text = readFileSync(file, 'utf8');
      const pid = Number((/"pid":\s*(\d+)/.exec(text) ?? /^(\d+)/.exec(text.trim()))?.[1]);
      if (!pid) continue;
      if (f.includes('agent') && signal(pid, 'SIGTERM')) {
        const deadline = Date.now() + 5000;
        while (Date.now() < deadline && signal(pid, 0)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      }
      signal(pid, 'SIGKILL');
    }
    // Whatever else runs from this cluster's folder (a daemon a test started again, whose pid file moved on) goes too.
    for (const pid of processesUnder(this.home)) signal(pid, 'SIGKILL');
    rmSync(this.home, { recursive: true, force: true });
    removeOrphanVxlans();
  }
}

/**
 * removeOrphanVxlans deletes the overlay's VXLAN devices (`clvx*`) that no
 * bridge holds any more: a stopped agent leaves its devices so that
 * containers keep reaching each other, and once a test removed the stack
 * networks they belong to nothing else would remove them.
 */
function removeOrphanVxlans(): void {
  const r = spawnSync('ip', ['-o', 'link', 'show', 'type', 'vxlan'], { encoding: 'utf8', timeout: 5000 });
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = /^\d+:\s+(clvx\d+)[@:]/.exec(line);
    if (m && !/ master /.test(line)) spawnSync('ip', ['link', 'del', m[1]!], { timeout: 5000 });
  }
}

/** processesUnder lists the processes whose command line names a path under `dir` (Linux /proc). */
export function processesUnder(dir: string): number[] {
  const out: number[] = [];
  for (const entry of existsSync('/proc') ? readdirSync('/proc') : []) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((a) => a === dir || a.startsWith(`${dir}/`))) out.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** alive tells whether a process is there. */
export function alive(pid: number): boolean {
  return signal(pid, 0);
}

/** signal sends a signal to a process and tells whether it was there. */
function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** docker is a client of the root engine, for checking what really runs. */
export const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });

/**
 * execIn runs a command in a container (with a terminal, so its output is
 * one stream) and returns what it wrote; it gives up after 10 s.
 */
export async function execIn(id: string, cmd: string[]): Promise<string> {
  const e = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: true });
  const stream = await e.start({ Detach: false, Tty: true });
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString('utf8')));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 10_000);
    stream.on('end', () => { clearTimeout(timer); resolve(); });
  });
  return out;
}

/** containersOf lists the containers of a stack (all states). */
export async function containersOf(stack: string): Promise<Dockerode.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`cluster.stack=${stack}`] } });
}

/** removeStackContainers force-removes what a test left of a stack, by label. */
export async function removeStackContainers(stack: string): Promise<void> {
  for (const c of await containersOf(stack)) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  for (const n of await docker.listNetworks({ filters: { label: [`cluster.stack=${stack}`] } })) {
    await docker.getNetwork(n.Id).remove().catch(() => undefined);
  }
}

/** until polls `check` every 100 ms until it returns a value, or fails after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
