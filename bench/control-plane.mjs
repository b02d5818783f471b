/**
 * Control plane at scale: a real manager daemon on 127.0.0.1 and many
 * simulated nodes (the real agent Session and Worker over FakeExecutor, in
 * child processes, each node joined with a real token) take a stack of many
 * replicas. Times: the deploy call, every assignment at its node, every
 * task running as the manager sees it; the manager's CPU and memory from /proc.
 */
import { fork } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { loadClusterProto } from '@cluster/api';
import { BenchCluster } from './cluster.mjs';

const TICK = 100; // clock ticks per second of /proc/PID/stat (Linux USER_HZ)

/** procStats reads a process's CPU time (ms) and resident memory (bytes, now and peak). */
export function procStats(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICK;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { cpuMs, rss: kb('VmRSS'), peakRss: kb('VmHWM') };
}

/** controlClient opens an admin Control client from a CLUSTER_HOME. */
function controlClient(home) {
  const cfg = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'));
  const proto = loadClusterProto();
  const creds = grpc.credentials.createSsl(readFileSync(cfg.caFile), readFileSync(cfg.keyFile), readFileSync(cfg.certFile), { checkServerIdentity: () => undefined });
  const client = new proto.Control(cfg.manager, creds, { 'grpc.ssl_target_name_override': 'manager', 'grpc.max_receive_message_length': 256 << 20 });
  return {
    call: (method, req, timeoutMs = 60000) => new Promise((resolve, reject) =>
      client[method](req, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res)))),
    close: () => client.close(),
  };
}

/** SimGroup is a child process of simulated nodes and its last progress report. */
function startGroup(o, i, count) {
  // With --profile, the simulated nodes are profiled too (files named sim-*.cpuprofile).
  const prof = o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`, `--cpu-prof-name=sim-${i}-${process.pid}.cpuprofile`] : [];
  const child = fork(new URL('./sim-agents.mjs', import.meta.url).pathname, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096', ...prof] });
  const g = { child, last: { joined: 0, connected: 0, assigned: 0, running: 0, errors: 0, sessionsLost: 0, lastError: '', maxLagMs: 0 }, exited: false };
  child.on('message', (m) => { if (m.type === 'progress') g.last = m; });
  child.on('exit', () => { g.exited = true; });
  child.send({ type: 'start', manager: o.manager, token: o.token, count, prefix: `sim${i}`, joinConcurrency: o.joinConcurrency });
  return g;
}

function maxLag(groups) {
  return Math.max(0, ...groups.map((g) => g.last.maxLagMs ?? 0));
}

/** lostWhy counts the groups' lost sessions by the reason the sessions gave. */
function lostWhy(groups) {
  const out = {};
  for (const g of groups) for (const [why, n] of Object.entries(g.last.lostWhy ?? {})) out[why] = (out[why] ?? 0) + n;
  return out;
}

/** describeLost says which sessions were lost since `before` (counts of lostWhy), and why. */
function describeLost(now, before) {
  return Object.entries(now).map(([why, n]) => [why, n - (before[why] ?? 0)]).filter(([, n]) => n > 0).map(([why, n]) => `${n} × ${why}`).join('; ');
}

function sum(groups, key) {
  return groups.reduce((n, g) => n + g.last[key], 0);
}

/** waitFor polls cond every 50 ms; resolves with the time it held, or throws after timeoutMs. */
async function waitFor(what, timeoutMs, cond, describe) {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      if (await cond()) return Date.now();
    } catch (err) {
      // A call that failed (a busy manager) is tried again until the deadline.
      lastError = `; last error: ${err?.message ?? err}`;
    }
    await sleep(50);
  }
  throw new Error(`bench: ${what} not reached within ${timeoutMs / 1000}s (${describe()}${lastError})`);
}

/**
 * runControlPlane measures one run with `nodes` simulated nodes in `groups`
 * child processes and `tasks` replicas over `services` services.
 */
export async function runControlPlane({ nodes, tasks, services = 10, groups: groupCount = 2, joinConcurrency = 16, timeoutMs = 300000, profileDir, log }) {
  const c = await BenchCluster.startManager({ profileDir });
  const groups = [];
  let control;
  try {
    const pid = c.managerPid;
    const token = (await c.must(['token', 'worker', '-q'])).trim();
    const o = { manager: `127.0.0.1:${c.port}`, token, joinConcurrency, profileDir };
    const tJoin = Date.now();
    for (let i = 0; i < groupCount; i++) {
      const count = Math.floor(nodes / groupCount) + (i < nodes % groupCount ? 1 : 0);
      groups.push(startGroup(o, i + 1, count));
    }
    const progress = () => `joined ${sum(groups, 'joined')}, connected ${sum(groups, 'connected')}, assigned ${sum(groups, 'assigned')}, running ${sum(groups, 'running')}, errors ${sum(groups, 'errors')}, sessions lost ${sum(groups, 'sessionsLost')}, simulated nodes' longest held loop ${maxLag(groups)} ms ${groups.map((g) => g.last.lastError).filter(Boolean).join('; ')}`;
    await waitFor(`${nodes} nodes connected`, timeoutMs, () => sum(groups, 'connected') >= nodes, progress);
    const joinMs = Date.now() - tJoin;
    log(`control plane: ${nodes} nodes joined and connected in ${joinMs} ms`);
    await sleep(1000); // let the joins' orchestrator passes and first heartbeats settle
    control = controlClient(c.home);
    for (const g of groups) g.child.send({ type: 'reset-lag' });
    const lostBefore = sum(groups, 'sessionsLost');
    const whyBefore = lostWhy(groups);
    const before = procStats(pid);
    const perService = Math.ceil(tasks / services);
    const file = c.writeStack('bench-cp', perService, services);
    const total = perService * services;
    let peakRss = before.rss;
    const sampler = setInterval(() => { try { peakRss = Math.max(peakRss, procStats(pid).rss); } catch { /* gone */ } }, 200);
    const t0 = Date.now();
    let tDispatch = NaN, tRunning = NaN, tAck = NaN, tDeploy = NaN;
    try {
      await c.must(['deploy', '--detach', '-c', file, '--name', 'bench-cp'], timeoutMs);
      tDeploy = Date.now();
      tDispatch = await waitFor('every assignment at its node', timeoutMs, () => sum(groups, 'assigned') >= total, progress);
      tRunning = await waitFor('every task reported running', timeoutMs, () => sum(groups, 'running') >= total, progress);
      tAck = await waitFor('every task running at the manager', timeoutMs, async () => {
        const r = await control.call('ListServices', { stack: 'bench-cp' }, 10000);
        return r.services.reduce((n, s) => n + s.running, 0) >= total;
      }, progress);
    } finally {
      clearInterval(sampler);
    }
    const after = procStats(pid);
    const res = {
      nodes, tasks: total, joinMs,
      deployMs: tDeploy - t0, dispatchMs: tDispatch - t0, agentsRunningMs: tRunning - t0, ackMs: tAck - t0,
      tasksPerSec: total / ((tAck - t0) / 1000),
      managerCpuMs: after.cpuMs - before.cpuMs,
      managerCpuCores: (after.cpuMs - before.cpuMs) / (tAck - t0),
      rssBefore: before.rss, rssAfter: after.rss, peakRss: Math.max(peakRss, after.rss),
      bytesPerTask: (after.rss - before.rss) / total,
    };
    log(`control plane: simulated nodes' longest held event loop ${maxLag(groups)} ms (heartbeats every 500 ms, down after 2.5 s of silence); sessions lost during the run ${sum(groups, 'sessionsLost') - lostBefore}${sum(groups, 'sessionsLost') > lostBefore ? ` (${describeLost(lostWhy(groups), whyBefore)})` : ''}`);
    log(`control plane: ${total} tasks on ${nodes} nodes: deploy ${res.deployMs} ms, dispatched ${res.dispatchMs} ms, all running at the manager ${res.ackMs} ms (${Math.round(res.tasksPerSec)} tasks/s); manager CPU ${Math.round(res.managerCpuMs)} ms, RSS ${(res.rssAfter / 2 ** 20).toFixed(0)} MiB (+${(res.bytesPerTask / 1024).toFixed(2)} KiB/task)`);
    return res;
  } finally {
    control?.close();
    // With --profile, the manager's log goes beside its profile.
    if (profileDir) {
      try { copyFileSync(join(c.home, 'data/manager/manager.log'), join(profileDir, `manager-${c.managerPid}.log`)); } catch { /* no log */ }
    }
    for (const g of groups) if (!g.exited) g.child.send({ type: 'stop' });
    await waitFor('simulated nodes stopped', 15000, () => groups.every((g) => g.exited), () => '').catch(() => {
      for (const g of groups) if (!g.exited) g.child.kill('SIGKILL');
    });
    await c.stop();
  }
}
