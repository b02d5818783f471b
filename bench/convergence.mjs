/**
 * Convergence, scale and rm on one engine, four ways: `cluster` (a
 * one-node cluster on the root engine), a single-node Docker Swarm of the
 * same engine, and the engine alone (the floor: containers on the default
 * bridge; and the floor on a stack network: on a user-defined bridge network
 * made first). Every time runs from the command to the engine's own event
 * (the N-th container start or removal), so one observer times them all.
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchCluster } from './cluster.mjs';
import {
  EngineEvents, FLOOR_LABEL, SWARM_SERVICE_LABEL, dockerCli, floorNetwork, floorRemove, floorStart, removeAllFloor,
  removeBenchServices, removeStacksByPrefix, swarmCreate, swarmRunning, swarmState,
} from './engine.mjs';

const WAIT_MS = 120000;

/** pollUntil calls check every `everyMs` until it returns true; resolves with the time or throws after timeoutMs. */
async function pollUntil(check, everyMs, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return Date.now();
    await sleep(everyMs);
  }
  throw new Error(`bench: ${what} not seen within ${timeoutMs} ms`);
}

/** Ours drives `cluster`. */
function ours(c, ev) {
  return {
    async converge(tag, n) {
      const stack = `bench-${tag}`;
      const file = c.writeStack(stack, n);
      const started = ev.wait('start', ['cluster.service', `${stack}_app`], n, WAIT_MS);
      const t0 = Date.now();
      await c.must(['deploy', '-c', file, '--name', stack]);
      const returned = Date.now();
      const at = await started;
      return { ms: at - t0, secondaryMs: returned - t0, cleanup: () => this.rm(tag, n) };
    },
    async scale(tag, from, to) {
      const stack = `bench-${tag}`;
      const started = ev.wait('start', ['cluster.service', `${stack}_app`], to - from, WAIT_MS);
      const t0 = Date.now();
      await c.must(['scale', `${stack}_app=${to}`]);
      return (await started) - t0;
    },
    async rm(tag, n) {
      const stack = `bench-${tag}`;
      const gone = ev.wait('destroy', ['cluster.stack', stack], n, WAIT_MS);
      const t0 = Date.now();
      await c.must(['rm', stack]);
      return (await gone) - t0;
    },
  };
}

/** Swarm drives `docker service` on a single-node swarm of the root engine. */
function swarm(ev) {
  return {
    async converge(tag, n) {
      const name = `bench-${tag}`;
      const started = ev.wait('start', [SWARM_SERVICE_LABEL, name], n, WAIT_MS);
      const t0 = Date.now();
      await swarmCreate(name, n);
      const at = await started;
      // The control plane's own view: `docker service ps` shows n running.
      const seen = await pollUntil(async () => (await swarmRunning(name)) >= n, 20, WAIT_MS, `${n} running tasks of ${name}`);
      return { ms: at - t0, secondaryMs: seen - t0, cleanup: () => this.rm(tag, n) };
    },
    async scale(tag, from, to) {
      const name = `bench-${tag}`;
      const started = ev.wait('start', [SWARM_SERVICE_LABEL, name], to - from, WAIT_MS);
      const t0 = Date.now();
      await dockerCli(['service', 'scale', '--detach', `${name}=${to}`]);
      return (await started) - t0;
    },
    async rm(tag, n) {
      const name = `bench-${tag}`;
      const gone = ev.wait('destroy', [SWARM_SERVICE_LABEL, name], n, WAIT_MS);
      const t0 = Date.now();
      await dockerCli(['service', 'rm', name]);
      return (await gone) - t0;
    },
  };
}

/**
 * Floor makes the containers itself, in parallel, through the engine API: on
 * the default bridge, or (`onNetwork`, the floor on a stack network) on a
 * new user-defined bridge network made in the timed span first, as Compose
 * does for a project and `cluster` for a stack on each node.
 */
function floor(ev, { onNetwork = false } = {}) {
  const networks = new Map();
  return {
    async converge(tag, n) {
      const started = ev.wait('start', [FLOOR_LABEL, tag], n, WAIT_MS);
      const t0 = Date.now();
      if (onNetwork) networks.set(tag, await floorNetwork(tag));
      await floorStart(tag, n, 0, networks.get(tag));
      return { ms: (await started) - t0, secondaryMs: NaN, cleanup: () => this.rm(tag, n) };
    },
    async scale(tag, from, to) {
      const started = ev.wait('start', [FLOOR_LABEL, tag], to - from, WAIT_MS);
      const t0 = Date.now();
      await floorStart(tag, to - from, from, networks.get(tag));
      return (await started) - t0;
    },
    async rm(tag, n) {
      const gone = ev.wait('destroy', [FLOOR_LABEL, tag], n, WAIT_MS);
      const t0 = Date.now();
      await floorRemove(tag);
      networks.delete(tag);
      return (await gone) - t0;
    },
  };
}

/**
 * runEngineBenchmarks measures convergence for each size and scale from → to
 * and rm, `runs` times each, interleaving the three systems so that drift of
 * the machine touches them alike. Returns raw samples in ms.
 */
export async function runEngineBenchmarks({ runs, sizes, scale: [from, to], systems = ['ours', 'swarm', 'floor', 'floornet'], baseRepo, log }) {
  // `base` is `cluster` built from another checkout (baseRepo), for before/after comparisons in the same run.
  const all = ['ours', 'swarm', 'floor', 'floornet', ...(systems.includes('base') ? ['base'] : [])];
  const unknown = systems.filter((s) => !all.includes(s) && s !== 'base');
  if (unknown.length > 0) throw new Error(`bench: unknown system ${unknown.join(', ')} (ours, base, swarm, floor, floornet)`);
  if (systems.includes('base') && !baseRepo) throw new Error('bench: system "base" needs --base DIR (a built checkout to compare with)');
  const res = { convergence: {}, convergenceSecondary: {}, scale: {}, rm: {} };
  for (const n of sizes) {
    res.convergence[n] = Object.fromEntries(all.map((s) => [s, []]));
    res.convergenceSecondary[n] = Object.fromEntries(all.map((s) => [s, []]));
  }
  for (const s of all) { res.scale[s] = []; res.rm[s] = []; }

  if ((await swarmState()) !== 'inactive') throw new Error('bench: the root engine is already part of a swarm; leave it first (docker swarm leave --force)');
  const ev = new EngineEvents();
  await ev.open();
  let c;
  let cBase;
  // An interrupted run (Ctrl-C, kill) skips `finally`: the swarm this run made is left all the same.
  let swarmMade = false;
  const leaveOnSignal = (signal) => {
    if (swarmMade) {
      try { execFileSync('docker', ['swarm', 'leave', '--force'], { stdio: 'ignore', timeout: 60000 }); } catch { /* left already */ }
    }
    process.kill(process.pid, signal);
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(s, leaveOnSignal);
  try {
    if (systems.includes('swarm')) {
      swarmMade = true;
      await dockerCli(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    }
    c = await BenchCluster.start();
    if (systems.includes('base')) cBase = await BenchCluster.start([], { repo: baseRepo });
    const impl = { ours: ours(c, ev), swarm: swarm(ev), floor: floor(ev), floornet: floor(ev, { onNetwork: true }), ...(cBase ? { base: ours(cBase, ev) } : {}) };
    // One unmeasured round warms caches (image layers, the CLI's modules, the swarm's first network).
    for (const s of systems) {
      const r = await impl[s].converge(`warm-${s}`, 2);
      await r.cleanup();
    }
    for (let run = 1; run <= runs; run++) {
      for (const n of sizes) {
        for (const s of systems) {
          const r = await impl[s].converge(`c${n}-${s}-${run}`, n);
          res.convergence[n][s].push(r.ms);
          res.convergenceSecondary[n][s].push(r.secondaryMs);
          log(`convergence N=${n} ${s} run ${run}: ${Math.round(r.ms)} ms${Number.isFinite(r.secondaryMs) ? ` (control plane saw it at ${Math.round(r.secondaryMs)} ms)` : ''}`);
          await r.cleanup();
          await sleep(300);
        }
      }
      for (const s of systems) {
        const tag = `s-${s}-${run}`;
        await impl[s].converge(tag, from);
        const ms = await impl[s].scale(tag, from, to);
        res.scale[s].push(ms);
        await sleep(300);
        const rmMs = await impl[s].rm(tag, to);
        res.rm[s].push(rmMs);
        log(`scale ${from}->${to} ${s} run ${run}: ${Math.round(ms)} ms; rm of ${to}: ${Math.round(rmMs)} ms`);
        await sleep(300);
      }
    }
  } finally {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeListener(s, leaveOnSignal);
    ev.close();
    await c?.stop();
    await cBase?.stop();
    if (systems.includes('swarm')) {
      await removeBenchServices().catch(() => undefined);
      await dockerCli(['swarm', 'leave', '--force']).catch(() => undefined);
    }
    await removeAllFloor().catch((err) => log(`engine floor cleanup: ${err.message} (remove it by hand; an endpoint the engine kept after its container was removed goes with a restart of dockerd)`));
    await removeStacksByPrefix('bench-').catch(() => undefined);
  }
  return res;
}
