// bench runs the benchmarks of issue 7 and writes their results into
// BENCHMARKS.md: convergence, scale and rm against Docker Swarm and the
// bare engine on the root engine, and the control plane with simulated
// nodes. Not part of `npm test`.
// The names-across-hosts module (bench/mesh.mjs, issue 6) runs too when present.
// Failover (bench/failover.mjs) runs in the 3-host lab (deploy/lab, needs
// root) in the full run and with --only failover, not in --quick (about
// 5 minutes, mostly Swarm's detection of a dead node).
// The overlay (bench/overlay.mjs, issue 12: container to container across
// hosts against the same host and the userspace proxy) runs in a 2-host lab
// in the full run and with --only overlay, which writes only its own block.
// The spec encoding (bench/spec-encoding.mjs, issue 20: a spec in an
// assignment as JSON text or as a message) runs with --only spec and writes
// only its own block.
//   npm run bench [-- --quick] [--only engine|control|mesh|failover|overlay|spec] [--runs N]
//                 [--systems ours,swarm,floor,floornet] [--sizes 1,10,30]
//                 (floornet: the floor on a new user-defined bridge network, as a stack's)
//                 [--nodes N] [--tasks N] [--profile DIR] [--no-write]
//                 [--base DIR]: with --systems …,base, also `cluster` built in another checkout (before/after)
import { spawnSync } from 'node:child_process';
import { cpus, totalmem, release } from 'node:os';
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { values: o } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    runs: { type: 'string' },
    systems: { type: 'string' },
    sizes: { type: 'string' },
    nodes: { type: 'string' },
    tasks: { type: 'string' },
    'control-runs': { type: 'string' },
    'failover-runs': { type: 'string' },
    profile: { type: 'string' },
    base: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const runs = Number(o.runs ?? (o.quick ? 2 : 5));
const controlRuns = Number(o['control-runs'] ?? (o.quick ? 1 : 3));
const nodes = Number(o.nodes ?? 1000);
const tasks = Number(o.tasks ?? 100000);
const log = (m) => console.log(`${new Date().toISOString().slice(11, 19)} bench: ${m}`);

// The same build as `npm run build`: the compiled packages, then the CLI's bundle (scripts/bundle-cli.mjs).
for (const [cmd, argv] of [['npx', ['tsc', '-b']], [process.execPath, ['scripts/bundle-cli.mjs']]]) {
  const build = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const { runEngineBenchmarks } = await import('../bench/convergence.mjs');
const { runControlPlane } = await import('../bench/control-plane.mjs');
const { renderResults, renderFailover, writeResults, FAILOVER_BEGIN, FAILOVER_END } = await import('../bench/report.mjs');
const { dockerCli } = await import('../bench/engine.mjs');

const started = Date.now();
const engineVersion = await dockerCli(['version', '--format', '{{.Server.Version}}']).catch(() => '?');
const result = {
  date: new Date().toISOString().slice(0, 16).replace('T', ' '),
  machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.versions.node}, Docker ${engineVersion}`,
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
};
if (o.only === 'spec') {
  const { runSpecEncoding, specEncodingMarkdown } = await import('../bench/spec-encoding.mjs');
  result.spec = specEncodingMarkdown(await runSpecEncoding({ rounds: Number(o.runs ?? 5), log }));
}
if (!o.only || o.only === 'engine') {
  spawnSync('bash', ['deploy/images/make-images.sh'], { cwd: root, stdio: 'inherit' });
  result.engine = { runs, ...(await runEngineBenchmarks({
    runs, sizes: (o.sizes ?? '1,10,30').split(',').map(Number), scale: [10, 30], systems: (o.systems ?? 'ours,swarm,floor,floornet').split(','), baseRepo: o.base, log,
  })) };
}
if ((!o.only && !o.quick) || o.only === 'failover') {
  const { runFailover } = await import('../bench/failover.mjs');
  const systems = (o.systems ?? 'ours,swarm').split(',').filter((s) => s === 'ours' || s === 'swarm');
  result.failover = await runFailover({ runs: Number(o['failover-runs'] ?? 3), systems, log });
}
if ((!o.only && !o.quick) || o.only === 'overlay') {
  const { runOverlayBenchmark, overlayMarkdown } = await import('../bench/overlay.mjs');
  const { runStackDeploy, stackDeployMarkdown } = await import('../bench/stackdeploy.mjs');
  spawnSync('bash', ['deploy/images/make-images.sh'], { cwd: root, stdio: 'inherit' });
  const paths = overlayMarkdown(await runOverlayBenchmark({ rounds: o.quick ? 1 : 5, log }));
  const deploys = stackDeployMarkdown(await runStackDeploy({ runs: o.quick ? 1 : 3, sizes: (o.sizes ?? '1,10').split(',').map(Number), log }));
  result.overlay = ['### Container to container across hosts (bench/overlay.mjs, 2-host lab)', '', paths, '', '### Deploying a stack on its own network: `cluster deploy` against `docker stack deploy` (bench/stackdeploy.mjs)', '', deploys].join('\n');
}
if (!o.only || o.only === 'control') {
  result.control = [];
  for (let i = 0; i < controlRuns; i++) result.control.push(await runControlPlane({ nodes, tasks, log, profileDir: o.profile }));
}
const meshModule = new URL('../bench/mesh.mjs', import.meta.url);
if ((!o.only || o.only === 'mesh') && existsSync(meshModule)) {
  const { runMeshBenchmark, meshMarkdown } = await import(meshModule.href);
  const mesh = await runMeshBenchmark({ rounds: o.quick ? 1 : 3, log });
  result.mesh = meshMarkdown(mesh);
}
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
writeFileSync(new URL('../bench/last-results.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
const benchmarksMd = new URL('../BENCHMARKS.md', import.meta.url).pathname;
const OVERLAY_BEGIN = '<!-- bench:overlay:begin (written by npm run bench -- --only overlay) -->';
const OVERLAY_END = '<!-- bench:overlay:end -->';
if (result.overlay) {
  const md = [`Run of ${result.date} on ${result.machine}; \`${o.only === 'overlay' ? result.command : 'npm run bench -- --only overlay'}\`.`, '', result.overlay].join('\n');
  console.log(md);
  if (!o['no-write']) writeResults(benchmarksMd, md, OVERLAY_BEGIN, OVERLAY_END);
}
const SPEC_BEGIN = '<!-- bench:spec:begin (written by npm run bench -- --only spec) -->';
const SPEC_END = '<!-- bench:spec:end -->';
if (result.spec) {
  const md = [`Run of ${result.date} on ${result.machine}; \`${result.command}\`; median of ${Number(o.runs ?? 5)} rounds.`, '', result.spec].join('\n');
  console.log(md);
  if (!o['no-write']) writeResults(benchmarksMd, md, SPEC_BEGIN, SPEC_END);
}
if (o.only === 'overlay' || o.only === 'spec') {
  // Only the block of that benchmark, written above.
} else if (o.only === 'failover') {
  // Only the failover block of BENCHMARKS.md: the last full results stay.
  const md = [`Run of ${result.date} on ${result.machine}; \`${result.command}\`.`, '', ...renderFailover(result.failover)].join('\n');
  console.log(md);
  if (!o['no-write']) writeResults(benchmarksMd, md, FAILOVER_BEGIN, FAILOVER_END);
} else {
  const md = renderResults(result);
  console.log(md);
  if (!o['no-write']) writeResults(benchmarksMd, md);
}
