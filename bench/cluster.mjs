/**
 * BenchCluster: a cluster made by the real `cluster init` in a temporary
 * CLUSTER_HOME, driven through the real `cluster` command, as a user would.
 */
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@cluster/agent';
import { COMMAND, IMAGE } from './engine.mjs';

/** REPO is the repository root. */
export const REPO = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
/** CLI is the `cluster` command's entry point. */
export const CLI = join(REPO, 'packages/cli/bin/cluster.js');


/** pidIn reads the pid of a pid file or a JSON ready file, 0 when there is none. */
export function pidIn(file) {
  if (!existsSync(file)) return 0;
  const text = readFileSync(file, 'utf8');
  return Number((/"pid":\s*(\d+)/.exec(text) ?? /^(\d+)/.exec(text.trim()))?.[1] ?? 0);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** BenchCluster is a manager (and, unless noAgent, a local agent on the root engine) in a temp home. */
export class BenchCluster {
  constructor(home, port, cli = CLI) {
    this.home = home;
    this.port = port;
    this.cliPath = cli;
  }

  /** start runs `cluster init`; extra flags are passed on; `repo` runs the CLI (and so the daemons) of another checkout. @default this repository */
  static async start(extra = [], { repo = REPO } = {}) {
    const home = mkdtempSync(join(tmpdir(), 'cluster-bench-'));
    const port = await freePort();
    const c = new BenchCluster(home, port, join(repo, 'packages/cli/bin/cluster.js'));
    const r = await c.cli(['init', '--listen', `127.0.0.1:${port}`, '--name', `bench-${port}`, ...extra]);
    if (r.code !== 0) {
      await c.stop();
      throw new Error(`bench: cluster init failed: ${r.err.trim()}`);
    }
    return c;
  }

  /**
   * startManager runs the manager program alone (what `cluster init --no-agent`
   * runs), optionally under `node --cpu-prof`, and writes the client config.
   */
  static async startManager({ profileDir } = {}) {
    const home = mkdtempSync(join(tmpdir(), 'cluster-bench-'));
    const port = await freePort();
    const c = new BenchCluster(home, port);
    c.profiling = Boolean(profileDir);
    const dir = join(home, 'data/manager');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const log = openSync(join(dir, 'manager.log'), 'a');
    const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const child = spawn(process.execPath, [...flags, join(REPO, 'packages/manager/dist/main.js'), '--data-dir', dir, '--listen', `127.0.0.1:${port}`],
      { detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    child.unref();
    const ready = join(dir, 'manager.json');
    for (let i = 0; i < 300 && !existsSync(ready); i++) await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(ready)) {
      await c.stop();
      throw new Error('bench: the manager did not start within 30 s');
    }
    const admin = join(dir, 'admin');
    writeFileSync(join(home, 'config.json'), JSON.stringify({
      manager: `127.0.0.1:${port}`, caFile: join(admin, 'ca.crt'), certFile: join(admin, 'admin.crt'), keyFile: join(admin, 'admin.key'),
    }));
    return c;
  }

  /** cli runs `cluster ARGS` and resolves with its exit code and output. */
  cli(args, timeoutMs = 180000, env = {}) {
    return new Promise((resolve) => {
      execFile(process.execPath, [this.cliPath, ...args], { cwd: this.home, env: { ...process.env, CLUSTER_HOME: this.home, ...env }, timeout: timeoutMs, maxBuffer: 64 << 20 },
        (err, out, errOut) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out, err: errOut }));
    });
  }

  /** must runs `cluster ARGS` and throws on a non-zero exit. */
  async must(args, timeoutMs) {
    const r = await this.cli(args, timeoutMs);
    if (r.code !== 0) throw new Error(`bench: cluster ${args.join(' ')} failed: ${r.err.trim()}`);
    return r.out;
  }

  /** writeStack writes a one-service stack file (service `app`) and returns its path. */
  writeStack(stack, replicas, services = 1) {
    const lines = ['services:'];
    for (let i = 0; i < services; i++) {
      lines.push(`  app${services > 1 ? i : ''}:`, `    image: ${IMAGE}`, `    command: ${JSON.stringify(COMMAND)}`, '    stop_signal: SIGKILL',
        '    deploy:', `      replicas: ${replicas}`);
    }
    const file = join(this.home, `${stack}.yml`);
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  }

  get managerPid() {
    return pidIn(join(this.home, 'data/manager/manager.json'));
  }

  /** stop kills the daemons this cluster started (by pid) and removes its folder; a profiled manager gets SIGTERM and time to write its profile. */
  async stop() {
    const manager = this.managerPid;
    if (this.profiling && manager) {
      try { process.kill(manager, 'SIGTERM'); } catch { /* already gone */ }
      for (let i = 0; i < 100 && alive(manager); i++) await new Promise((r) => setTimeout(r, 100));
    }
    for (const f of ['data/agent/agent.pid', 'data/manager/manager.json']) {
      const pid = pidIn(join(this.home, f));
      if (pid) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }
    rmSync(this.home, { recursive: true, force: true });
  }
}
