import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { execInContainer } from '@cluster/agent';

/** REPO is the repository root. */
export const REPO = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');
const CLI = join(REPO, 'packages/cli/bin/cluster.js');
const LAB_SH = join(REPO, 'deploy/lab/lab.sh');

/** LAB_DIR is where the test lab keeps its state (one lab per machine). */
export const LAB_DIR = process.env.LAB_DIR ?? join(tmpdir(), 'cluster-lab-test');
const env = { ...process.env, LAB_DIR, CLUSTER_HOME: join(LAB_DIR, 'home') };

/** Result is what a command left behind. */
export interface Result {
  code: number;
  out: string;
  err: string;
}

/** labSkip says why the lab cannot run here, or false. */
export function labSkip(): string | false {
  if (process.getuid?.() !== 0) return 'the lab needs root (network namespaces, dockerd)';
  if (spawnSync('sh', ['-c', 'command -v dockerd && command -v nsenter && command -v ip'], { stdio: 'ignore' }).status !== 0) return 'dockerd, nsenter or ip is missing';
  return false;
}

/** lab runs deploy/lab/lab.sh with the test's LAB_DIR and fails on a non-zero exit. */
export function lab(...args: string[]): Result {
  return labWith({}, ...args);
}

/** labWith runs lab.sh with more environment (for example `LAB_ENGINE_GRACE_MS` for `up`). */
export function labWith(extra: Record<string, string>, ...args: string[]): Result {
  const r = spawnSync('bash', [LAB_SH, ...args], { env: { ...env, ...extra }, encoding: 'utf8', timeout: 120000 });
  const res = { code: r.status ?? 1, out: r.stdout, err: r.stderr };
  if (res.code !== 0) throw new Error(`lab.sh ${args.join(' ')} exited ${res.code}: ${res.err.trim()}`);
  return res;
}

/** cli runs `cluster …` against the lab's manager. */
export function cli(...args: string[]): Result {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 60000 });
  return { code: r.status ?? 1, out: r.stdout, err: r.stderr };
}

/** ok runs `cluster …` and fails unless it exits 0. */
export function ok(...args: string[]): string {
  const r = cli(...args);
  if (r.code !== 0) throw new Error(`cluster ${args.join(' ')} exited ${r.code}: ${r.err.trim()}`);
  return r.out;
}

/** json runs a `cluster … --format json` listing. */
export function json<T>(...args: string[]): T[] {
  return JSON.parse(ok(...args, '--format', 'json')) as T[];
}

/** restartManager starts the lab's manager again from its data dir, as a person would. */
export function restartManager(): void {
  ok('init', '--no-agent', '--listen', '10.231.0.1:7790', '--advertise', '10.231.0.1', '--data-dir', join(LAB_DIR, 'manager'));
}

/** alive tells whether a process is there. */
export { alive } from '../support/cluster.js';

/** managerPid reads the running manager's pid from its ready file. */
export function managerPid(): number {
  return (JSON.parse(readFileSync(join(LAB_DIR, 'manager/manager/manager.json'), 'utf8')) as { pid: number }).pid;
}

/** stackFile writes a Compose file for a stack and returns its path. */
export function stackFile(stack: string, yaml: string): string {
  const dir = join(LAB_DIR, 'stacks', stack);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yml'), yaml);
  return join(dir, 'compose.yml');
}

/** sleepService is a Compose service of N replicas that sleeps, with optional constraints. */
export function sleepService(replicas: number, constraints: string[] = []): string {
  const c = constraints.length > 0 ? `      placement:\n        constraints: [${constraints.map((x) => JSON.stringify(x)).join(', ')}]\n` : '';
  return `services:\n  app:\n    image: cluster-test/busybox:latest\n    command: ["sleep", "86400"]\n    stop_grace_period: 1s\n    deploy:\n      replicas: ${replicas}\n${c}`;
}

/** Container is a running container of the lab seen through its host's engine. */
export interface Container {
  host: number;
  id: string;
  task: string;
  slot: string;
  startedAt: string;
}

/** engine is the Docker engine of lab host K. */
export function engine(k: number): Dockerode {
  return new Dockerode({ socketPath: `/run/clab/host${k}.sock` });
}

/** running lists the running containers of a service on the given hosts (a dead engine counts as none). */
export async function running(service: string, hosts: number[]): Promise<Container[]> {
  const out: Container[] = [];
  for (const k of hosts) {
    const list = await engine(k).listContainers({ filters: { label: [`cluster.service=${service}`], status: ['running'] } }).catch(() => []);
    for (const c of list) {
      const info = await engine(k).getContainer(c.Id).inspect().catch(() => undefined);
      if (!info?.State.Running) continue;
      out.push({ host: k, id: c.Id, task: c.Labels['cluster.task'] ?? '', slot: c.Labels['cluster.slot'] ?? '', startedAt: info.State.StartedAt });
    }
  }
  return out;
}

/** exact tells whether the containers are exactly one per slot 1..n. */
export function exact(cs: Container[], n: number): boolean {
  const slots = cs.map((c) => Number(c.slot)).sort((a, b) => a - b);
  return slots.length === n && slots.every((s, i) => s === i + 1);
}

/** waitFor polls `check` until it returns a value other than undefined/false, or fails after `ms`. */
export { until as waitFor } from '../support/cluster.js';

/** hostOf maps lab node names to host numbers: lab2 -> 2. */
export function hostOf(node: string): number {
  return Number(node.replace(/^lab/, ''));
}

/** addrOf is the address of lab host K: 10.231.0.(10+K). */
export function addrOf(k: number): string {
  return `10.231.0.${10 + k}`;
}

/** inHost runs a program in lab host K's network namespace (bounded to 10 s). */
export function inHost(k: number, ...args: string[]): Result {
  const r = spawnSync('nsenter', [`--net=/var/run/netns/clab-host${k}`, ...args], { encoding: 'utf8', timeout: 10000 });
  return { code: r.status ?? 1, out: r.stdout, err: r.stderr };
}

/** execOn runs a shell command in the running container of a service on lab host K (see execIn). */
export async function execOn(k: number, service: string, cmd: string): Promise<{ code: number; out: string }> {
  const [c] = await engine(k).listContainers({ filters: { label: [`cluster.service=${service}`], status: ['running'] } });
  if (!c) throw new Error(`no running container of ${service} on lab${k}`);
  return execIn(engine(k).getContainer(c.Id), cmd);
}

/** execIn runs a shell command in a container (the agent's engine-test helper: timeout 5 inside, 8 s outside); the output is trimmed. */
export async function execIn(c: Dockerode.Container, cmd: string): Promise<{ code: number; out: string }> {
  const r = await execInContainer(c, cmd);
  return { code: r.code, out: r.out.trim() };
}

/** httpGet fetches http://HOST:PORT/ once from this (root) namespace; resolves to the trimmed body, or throws (2 s bound). */
export function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString('utf8')));
      res.on('end', () => (res.statusCode === 200 ? resolve(body.trim()) : reject(new Error(`status ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}
