// pack makes the installable package of `cluster`: one npm tarball that
// `npm install -g ./cluster-cluster-VERSION.tgz` installs on a host with no
// checkout of this repository (its third-party dependencies come from the
// npm registry as usual).
//
// The workspace packages (@cluster/api, core, manager, agent, cli) are not
// published: the tarball carries them as bundled dependencies, each as its
// compiled dist/ (no tests, no sources) and what it reads at run time (the
// CLI's bin/ and bundle/, core's generated validator, the .proto files). The
// package's own dependencies are their third-party dependencies, at the
// versions they pin.
//
// Usage: node scripts/pack.mjs [--out DIR]   (default DIR: .pack/)
// It builds first (tsc -b and the CLI bundle, as npm run build does) and
// prints the tarball's path on its last line.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 ? args[outIndex + 1] ?? '' : join(root, '.pack'));
const WORKSPACES = ['api', 'core', 'manager', 'agent', 'cli'];
/** EXTRA are the files besides dist/ and package.json a workspace package reads at run time. */
const EXTRA = { api: [], core: ['generated'], manager: [], agent: [], cli: ['bin', 'bundle'] };

function run(cmd, argv, cwd = root) {
  const r = spawnSync(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stdout ?? '');
    console.error(`pack: ${cmd} ${argv.join(' ')} failed (exit ${r.status})`);
    process.exit(1);
  }
  return r.stdout;
}

run('npx', ['tsc', '-b']);
run(process.execPath, ['scripts/bundle-cli.mjs']);

const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));
const cli = readJson(join(root, 'packages/cli/package.json'));
const stage = join(out, 'package');
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

/** keep tells which files of dist/ go into the package: no tests, no build info. */
const keep = (src) => !/\.test\.(js|d\.ts)$/.test(src) && !src.endsWith('.tsbuildinfo') && !src.split('/').includes('fake-executor.js');
const thirdParty = {};
for (const name of WORKSPACES) {
  const from = join(root, 'packages', name);
  const to = join(stage, 'node_modules', '@cluster', name);
  const pkg = readJson(join(from, 'package.json'));
  for (const [dep, version] of Object.entries(pkg.dependencies ?? {})) {
    if (dep.startsWith('@cluster/') || dep.startsWith('@types/')) continue;
    if (thirdParty[dep] !== undefined && thirdParty[dep] !== version) {
      console.error(`pack: ${dep} is pinned at ${thirdParty[dep]} and ${version} by two workspace packages; make them agree`);
      process.exit(1);
    }
    thirdParty[dep] = version;
  }
  mkdirSync(to, { recursive: true });
  // Their dependencies become the package's own (below): npm would take the
  // dependencies of a bundled package for bundled too, and not fetch them.
  const { devDependencies: _dev, scripts: _scripts, dependencies: _deps, ...runtime } = pkg;
  writeFileSync(join(to, 'package.json'), JSON.stringify(runtime, null, 2) + '\n');
  for (const dir of ['dist', ...EXTRA[name]]) {
    if (!existsSync(join(from, dir))) {
      console.error(`pack: packages/${name}/${dir} is missing (build first: npm run build)`);
      process.exit(1);
    }
    cpSync(join(from, dir), join(to, dir), { recursive: true, filter: keep });
  }
}
// The CLI's bundle and the api's loader find the .proto files beside their package (packages/api/src/load.ts).
for (const name of ['api', 'cli']) cpSync(join(root, 'proto'), join(stage, 'node_modules', '@cluster', name, 'proto'), { recursive: true });

mkdirSync(join(stage, 'bin'));
writeFileSync(join(stage, 'bin', 'cluster.js'), "#!/usr/bin/env node\n// The `cluster` command of the installed package: the CLI it bundles.\nawait import('../node_modules/@cluster/cli/bin/cluster.js');\n", { mode: 0o755 });
const manifest = {
  name: '@cluster/cluster',
  version: cli.version,
  description: 'Deploy Compose stacks across hosts: a manager schedules service replicas onto agents, one per host.',
  type: 'module',
  bin: { cluster: 'bin/cluster.js' },
  engines: { node: '>=20' },
  files: ['bin', 'node_modules/@cluster', 'README.md'],
  dependencies: {
    ...Object.fromEntries(WORKSPACES.map((n) => [`@cluster/${n}`, readJson(join(root, 'packages', n, 'package.json')).version])),
    ...Object.fromEntries(Object.entries(thirdParty).sort(([a], [b]) => a.localeCompare(b))),
  },
  bundleDependencies: WORKSPACES.map((n) => `@cluster/${n}`),
};
writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
cpSync(join(root, 'README.md'), join(stage, 'README.md'));

const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', out, '--ignore-scripts'], stage));
const tarball = join(out, packed[0].filename);
console.error(`pack: ${relative(process.cwd(), tarball)} (${(packed[0].size / 1024 / 1024).toFixed(1)} MiB, ${packed[0].entryCount} files)`);
console.log(tarball);
