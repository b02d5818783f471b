/**
 * Deploying a stack onto its own network (issue 12), one engine, three ways,
 * interleaved run by run: `cluster deploy` of a Compose file (its network is
 * an overlay network: subnet, node range, VXLAN device), `docker stack
 * deploy` of the same file on a single-node Swarm of the same engine (it
 * makes an overlay network too), and the engine alone making a user-defined
 * bridge network and the containers on it (the floor on a stack network).
 * Each time runs from the command to the engine's event of the N-th
 * container start, so one observer times them all.
 *
 *   node bench/stackdeploy.mjs [--runs 3] [--sizes 1,10]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchCluster } from './cluster.mjs';
import { COMMAND, EngineEvents, IMAGE, dockerCli, floorNetwork, floorRemove, floorStart, removeAllFloor, removeStacksByPrefix, swarmState } from './engine.mjs';

const WAIT_MS = 120000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function stackFile(dir, name, n) {
  const file = join(dir, `${name}.yml`);
  writeFileSync(file, ['services:', '  app:', `    image: ${IMAGE}`, `    command: ${JSON.stringify(COMMAND)}`, '    stop_signal: SIGKILL', '    deploy:', `      replicas: ${n}`, ''].join('\n'));
  return file;
}

/** runStackDeploy measures each size `runs` times for each system and returns medians in ms. */
export async function runStackDeploy({ runs = 3, sizes = [1, 10], log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  if ((await swarmState()) !== 'inactive') throw new Error('bench: the root engine is already part of a swarm; leave it first (docker swarm leave --force)');
  const ev = new EngineEvents();
  await ev.open();
  let c;
  const samples = Object.fromEntries(sizes.map((n) => [n, { ours: [], swarm: [], floornet: [] }]));
  try {
    await dockerCli(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    c = await BenchCluster.start();
    const systems = {
      ours: async (tag, n) => {
        const stack = `bench-sd-${tag}`;
        const started = ev.wait('start', ['cluster.service', `${stack}_app`], n, WAIT_MS);
        const t0 = Date.now();
        await c.must(['deploy', '-c', stackFile(c.home, stack, n), '--name', stack]);
        const ms = (await started) - t0;
        const gone = ev.wait('destroy', ['cluster.stack', stack], n, WAIT_MS);
        await c.must(['rm', stack]);
        await gone;
        return ms;
      },
      swarm: async (tag, n) => {
        const stack = `bench-sd-${tag}`;
        const started = ev.wait('start', ['com.docker.stack.namespace', stack], n, WAIT_MS);
        const t0 = Date.now();
        await dockerCli(['stack', 'deploy', '--resolve-image', 'never', '-c', stackFile(c.home, `${stack}-swarm`, n), stack]);
        const ms = (await started) - t0;
        const gone = ev.wait('destroy', ['com.docker.stack.namespace', stack], n, WAIT_MS);
        await dockerCli(['stack', 'rm', stack]);
        await gone;
        return ms;
      },
      floornet: async (tag, n) => {
        const group = `sd-${tag}`;
        const started = ev.wait('start', ['cluster-bench.floor', group], n, WAIT_MS);
        const t0 = Date.now();
        await floorStart(group, n, 0, await floorNetwork(group));
        const ms = (await started) - t0;
        await floorRemove(group);
        return ms;
      },
    };
    // One unmeasured round warms caches (image layers, the CLI's modules, the swarm's first network).
    for (const [name, run] of Object.entries(systems)) await run(`warm-${name}`, 1);
    for (let r = 1; r <= runs; r++) {
      for (const n of sizes) {
        const order = Object.keys(systems);
        for (let i = 0; i < order.length; i++) {
          const name = order[(i + r) % order.length];
          const ms = await systems[name](`${name}-${n}-${r}`, n);
          samples[n][name].push(Math.round(ms));
          log(`stack deploy N=${n} ${name} run ${r}: ${Math.round(ms)} ms`);
          await sleep(500);
        }
      }
    }
  } finally {
    ev.close();
    await c?.stop();
    await dockerCli(['stack', 'ls', '--format', '{{.Name}}']).then(async (out) => {
      for (const s of out.split('\n').filter((x) => x.startsWith('bench-sd-'))) await dockerCli(['stack', 'rm', s]).catch(() => undefined);
    }).catch(() => undefined);
    await dockerCli(['swarm', 'leave', '--force']).catch(() => undefined);
    await removeAllFloor().catch(() => undefined);
    await removeStacksByPrefix('bench-sd-').catch(() => undefined);
  }
  return { runs, sizes, medians: Object.fromEntries(sizes.map((n) => [n, Object.fromEntries(Object.entries(samples[n]).map(([k, v]) => [k, median(v)]))])), samples };
}

/** stackDeployMarkdown renders the medians with ratios. */
export function stackDeployMarkdown(r) {
  const lines = ['| replicas | cluster deploy | docker stack deploy (Swarm) | floor on a stack network | ours/Swarm | ours/floor |', '|---:|---:|---:|---:|---:|---:|'];
  for (const n of r.sizes) {
    const m = r.medians[n];
    lines.push(`| ${n} | ${m.ours} ms | ${m.swarm} ms | ${m.floornet} ms | ${(m.ours / m.swarm).toFixed(2)}× | ${(m.ours / m.floornet).toFixed(2)}× |`);
  }
  lines.push('', `Medians of ${r.runs} runs each, from the command to the engine's N-th container start; one engine (single-node Swarm), the systems interleaved.`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, sizes: { type: 'string', default: '1,10' } } });
  const r = await runStackDeploy({ runs: Number(values.runs), sizes: values.sizes.split(',').map(Number) });
  process.stdout.write(`${stackDeployMarkdown(r)}\n`);
}
