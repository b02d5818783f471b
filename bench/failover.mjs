/**
 * Failover in the lab (deploy/lab/lab.sh, issue 7 item 3): three hosts, each
 * a network namespace with its own dockerd. A service of 6 replicas is
 * spread over them; one host holding replicas is killed (`lab.sh kill`:
 * agent, dockerd, containerd and containers, kill -9) and the time runs from
 * issuing the kill to 6 replicas (distinct slots) running on the remaining
 * hosts, counted through the remaining engines' sockets every POLL_MS.
 *
 * `cluster`: the lab's own manager (10.231.0.1) and agents, default
 * heartbeat (500 ms) and down-after (2.5 s). The busiest host is killed.
 * Swarm: the same lab engines made into a swarm (lab1 manager, lab2 and
 * lab3 workers) with our agents stopped (our manager stays, idle, with no
 * service); a worker holding replicas is killed. Swarm's defaults are not
 * tuned (dispatcher heartbeat period 5 s; a node is down after missing
 * heartbeats for about 3 periods, and its tasks are then rescheduled).
 * Traffic goes only to lab addresses and the lab engines' sockets.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Dockerode from 'dockerode';
import { CLI, REPO, pidIn } from './cluster.mjs';
import { IMAGE, dockerCli } from './engine.mjs';

const LAB_SH = join(REPO, 'deploy/lab/lab.sh');
const HOSTS = [1, 2, 3];
const REPLICAS = 6;
const POLL_MS = 75;

/** labDir is where the benchmark's lab keeps its state (one lab per machine). */
export const labDir = () => process.env.BENCH_LAB_DIR ?? join(tmpdir(), 'cluster-lab-bench');

const sock = (k) => `unix:///run/clab/host${k}.sock`;
const engines = new Map(HOSTS.map((k) => [k, new Dockerode({ socketPath: `/run/clab/host${k}.sock`, timeout: 2000 })]));

/** sh runs a command and resolves with its exit code and output; it is killed after timeoutMs. */
export function sh(cmd, args, env, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out, err });
    });
  });
}

function labEnv() {
  return { ...process.env, LAB_DIR: labDir(), CLUSTER_HOME: join(labDir(), 'home') };
}

/** lab runs `lab.sh ARGS` with the benchmark's LAB_DIR and throws on a non-zero exit. */
async function lab(...args) {
  const r = await sh('bash', [LAB_SH, ...args], labEnv(), 300000);
  if (r.code !== 0) throw new Error(`bench: lab.sh ${args.join(' ')} exited ${r.code}: ${r.err.trim().split('\n').slice(-3).join(' / ')}`);
  return r.out;
}

/** cluster runs `cluster ARGS` against the lab's manager and throws on a non-zero exit. */
async function cluster(...args) {
  const r = await sh(process.execPath, [CLI, ...args], labEnv(), 60000);
  if (r.code !== 0) throw new Error(`bench: cluster ${args.join(' ')} exited ${r.code}: ${r.err.trim()}`);
  return r.out;
}

/**
 * slotsOn lists the running replicas of a service on the given hosts as
 * {host, slot}; `key` is the label naming the service and `slotOf` reads a
 * slot from a container's labels. A dead engine counts as none.
 */
async function slotsOn(hosts, label, slotOf) {
  const out = [];
  await Promise.all(hosts.map(async (k) => {
    const list = await engines.get(k).listContainers({ filters: { label: [label], status: ['running'] } }).catch(() => []);
    for (const c of list) out.push({ host: k, slot: slotOf(c.Labels) });
  }));
  return out;
}

const distinct = (cs) => new Set(cs.map((c) => c.slot)).size;

/** busiest returns the host running the most replicas, among `candidates`. */
function busiest(cs, candidates) {
  const count = new Map(candidates.map((k) => [k, 0]));
  for (const c of cs) if (count.has(c.host)) count.set(c.host, count.get(c.host) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1])[0];
}

/** until polls check (bounded in time and count) until it returns a truthy value. */
async function until(what, timeoutMs, everyMs, check) {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < Math.ceil(timeoutMs / everyMs) + 1 && Date.now() < deadline; i++) {
    const v = await check();
    if (v) return v;
    await sleep(everyMs);
  }
  throw new Error(`bench: ${what} not seen within ${timeoutMs} ms`);
}

/** measure kills `victim` and times until `n` distinct slots run on the other hosts. */
async function measure(victim, label, slotOf, timeoutMs) {
  const others = HOSTS.filter((k) => k !== victim);
  const t0 = Date.now();
  const killed = lab('kill', String(victim)).then(() => Date.now() - t0);
  let seen;
  for (let i = 0; i < Math.ceil(timeoutMs / POLL_MS) && Date.now() - t0 < timeoutMs; i++) {
    const cs = await slotsOn(others, label, slotOf);
    if (distinct(cs) >= REPLICAS) {
      seen = Date.now() - t0;
      break;
    }
    await sleep(POLL_MS);
  }
  const killMs = await killed;
  if (seen === undefined) throw new Error(`bench: ${REPLICAS} replicas not running on lab${others.join('+lab')} within ${timeoutMs} ms of killing lab${victim}`);
  return { ms: seen, killMs, t0 };
}

// ---- cluster ---------------------------------------------------------------

const OURS_LABEL = (svc) => `cluster.service=${svc}`;
const oursSlot = (labels) => labels['cluster.slot'] ?? '';

function stackYaml() {
  return `services:\n  app:\n    image: ${IMAGE}\n    command: ["sleep", "3600"]\n    stop_grace_period: 1s\n    deploy:\n      replicas: ${REPLICAS}\n`;
}

async function nodeReady(name) {
  await until(`node ${name} ready`, 30000, 250, async () =>
    JSON.parse(await cluster('nodes', '--format', 'json')).some((n) => n.name === name && n.status === 'ready'));
}

async function oursRun(run, log) {
  const stack = `fo${run}`;
  const svc = `${stack}_app`;
  const dir = join(labDir(), 'stacks', stack);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yml'), stackYaml());
  await cluster('deploy', '-c', join(dir, 'compose.yml'), '--name', stack, '--detach');
  const before = await until(`${REPLICAS} replicas of ${svc}`, 60000, 100, async () => {
    const cs = await slotsOn(HOSTS, OURS_LABEL(svc), oursSlot);
    return distinct(cs) === REPLICAS && cs.length === REPLICAS ? cs : undefined;
  });
  await sleep(1000);
  const [victim, held] = busiest(before, HOSTS);
  const r = await measure(victim, OURS_LABEL(svc), oursSlot, 60000);
  log(`failover cluster run ${run}: killed lab${victim} (${held} replicas), ${REPLICAS} running elsewhere after ${r.ms} ms (lab.sh kill took ${r.killMs} ms)`);
  await lab('start', String(victim));
  await nodeReady(`lab${victim}`);
  await cluster('rm', stack);
  await until(`${svc} removed`, 60000, 200, async () => (await slotsOn(HOSTS, OURS_LABEL(svc), oursSlot)).length === 0);
  return { ...r, victim, held };
}

// ---- Swarm -----------------------------------------------------------------

const SWARM_LABEL = (svc) => `com.docker.swarm.service.name=${svc}`;
const swarmSlot = (labels) => (labels['com.docker.swarm.task.name'] ?? '').split('.')[1] ?? '';

/** stopAgents kills our lab agents by their pids (the manager stays, idle); a started host gets its agent back, so this runs after every start. */
function stopAgents() {
  for (const k of HOSTS) {
    const dir = join(labDir(), `host${k}/agent`);
    const pid = pidIn(join(dir, 'agent.pid'));
    let cmdline = '';
    try { cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { /* gone */ }
    if (pid && cmdline.includes(dir)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  }
}

async function swarmNodesReady(n) {
  await until(`${n} swarm nodes ready`, 60000, 250, async () => {
    const out = await dockerCli(['node', 'ls', '--format', '{{.Status}}'], sock(1)).catch(() => '');
    return out.split('\n').filter((s) => s === 'Ready').length >= n;
  });
}

async function swarmUp() {
  for (const k of HOSTS) await dockerCli(['swarm', 'leave', '--force'], sock(k)).catch(() => undefined);
  await dockerCli(['swarm', 'init', '--advertise-addr', '10.231.0.11'], sock(1));
  const token = await dockerCli(['swarm', 'join-token', '-q', 'worker'], sock(1));
  for (const k of HOSTS.slice(1)) await dockerCli(['swarm', 'join', '--token', token, '--advertise-addr', `10.231.0.${10 + k}`, '10.231.0.11:2377'], sock(k));
  await swarmNodesReady(HOSTS.length);
}

async function swarmDown() {
  const ids = (await dockerCli(['service', 'ls', '-q'], sock(1)).catch(() => '')).split('\n').filter(Boolean);
  if (ids.length > 0) await dockerCli(['service', 'rm', ...ids], sock(1)).catch(() => undefined);
  for (const k of [...HOSTS].reverse()) await dockerCli(['swarm', 'leave', '--force'], sock(k)).catch(() => undefined);
}

async function swarmRun(run, log) {
  const svc = `swarm-fo${run}`;
  await dockerCli(['service', 'create', '--detach', '--no-resolve-image', '--name', svc, '--replicas', String(REPLICAS),
    '--stop-grace-period', '1s', IMAGE, 'sleep', '3600'], sock(1));
  const before = await until(`${REPLICAS} tasks of ${svc}`, 60000, 100, async () => {
    const cs = await slotsOn(HOSTS, SWARM_LABEL(svc), swarmSlot);
    return distinct(cs) === REPLICAS && cs.length === REPLICAS ? cs : undefined;
  });
  await sleep(1000);
  const [victim, held] = busiest(before, HOSTS.slice(1)); // a worker: the fair comparison with our agents
  if (held === 0) throw new Error(`bench: swarm placed no task on a worker (${JSON.stringify(before)})`);
  // (lab.sh does not give dockerd a host name of its own: node ids, not names.)
  const nodeId = await dockerCli(['info', '--format', '{{.Swarm.NodeID}}'], sock(victim));
  const r = await measure(victim, SWARM_LABEL(svc), swarmSlot, 120000);
  // When the manager marked the node down: the node object's last update (a dead node updates nothing after that).
  const node = await dockerCli(['node', 'inspect', nodeId, '--format', '{{.Status.State}} {{json .UpdatedAt}}'], sock(1)).catch(() => '');
  const [state, at] = node.split(' ');
  r.downMs = state === 'down' ? Date.parse(JSON.parse(at)) - r.t0 : NaN;
  log(`failover Swarm run ${run}: killed worker lab${victim} (${held} tasks), ${REPLICAS} running elsewhere after ${r.ms} ms (lab.sh kill took ${r.killMs} ms; node marked down after ${r.downMs} ms)`);
  await lab('start', String(victim));
  stopAgents();
  await swarmNodesReady(HOSTS.length);
  await dockerCli(['service', 'rm', svc], sock(1));
  await until(`${svc} removed`, 60000, 200, async () => (await slotsOn(HOSTS, SWARM_LABEL(svc), swarmSlot)).length === 0);
  return { ...r, victim, held };
}

/**
 * runFailover brings a 3-host lab up, measures `runs` failovers of `cluster`
 * and then of Swarm (systems: 'ours', 'swarm'), and takes the lab down
 * again, also on failure. Results are milliseconds per run.
 */
export async function runFailover({ runs = 3, systems = ['ours', 'swarm'], log = console.log } = {}) {
  if (process.getuid?.() !== 0) throw new Error('bench: the failover benchmark needs root (the lab: network namespaces, dockerd)');
  if (!existsSync(join(REPO, 'packages/agent/dist/main.js'))) throw new Error('bench: build first (npx tsc -b)');
  const res = { runs, ours: [], swarm: [], oursRuns: [], swarmRuns: [], errors: [] };
  const t0 = Date.now();
  log(`failover: lab.sh up 3 in ${labDir()}`);
  try {
    await lab('up', '3');
    log(`failover: lab up in ${Date.now() - t0} ms`);
    if (systems.includes('ours')) {
      for (let run = 1; run <= runs; run++) {
        const r = await oursRun(run, log);
        res.ours.push(r.ms);
        res.oursRuns.push(r);
      }
    }
    if (systems.includes('swarm')) {
      stopAgents();
      try {
        await swarmUp();
        for (let run = 1; run <= runs; run++) {
          const r = await swarmRun(run, log);
          res.swarm.push(r.ms);
          res.swarmRuns.push(r);
        }
      } finally {
        await swarmDown();
      }
    }
  } catch (e) {
    res.errors.push(String(e.message ?? e));
    log(`failover: ${e.message ?? e}`);
  } finally {
    await lab('down').catch((e) => log(`failover: lab.sh down failed: ${e.message}`));
    for (const e of engines.values()) e.modem?.agent?.destroy?.();
  }
  return res;
}
