// bundle-cli makes packages/cli/bundle/: the compiled CLI (packages/cli/dist)
// with the code it loads (commander, grpc-js, proto-loader, core, api) in one
// file, so that `cluster` starts without resolving and reading some 300
// modules: `cluster --help` takes about half the CPU time of the unbundled
// CLI. Code loaded only by some commands (image builds, certificate
// requests) stays in chunks of its own and is read only when used.
// bin/cluster.js runs the bundle only while it is newer than every file of
// this repository it was made from (bundle/inputs.json), else dist/bin.js:
// a `tsc -b` without this step never runs stale code.
// Run by `npm run build` (and `npm ci`'s prepare), scripts/test.mjs and scripts/bench.mjs.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'packages/cli');
const out = join(cli, 'bundle');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // Without the dev dependencies (npm ci --omit=dev) the CLI runs unbundled.
  console.error('bundle-cli: esbuild is not installed; bin/cluster.js runs dist/bin.js');
  rmSync(out, { recursive: true, force: true });
  process.exit(0);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// Files changed from here on are newer than the bundle.
const startedAtMs = Date.now();
const result = await esbuild.build({
  entryPoints: { cluster: join(cli, 'dist/bin.js') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  metafile: true,
  logLevel: 'warning',
  // Loaded on demand by a few commands, with files or native parts of their own.
  external: ['dockerode', 'tar-fs', '@peculiar/x509', 'reflect-metadata'],
  // The CommonJS packages in the bundle call require() for Node's modules.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
});
// bundle/ sits as deep as each package's dist/, so paths made from
// import.meta.url (the protos, found from packages/api/dist) stay right.
const inputs = Object.keys(result.metafile.inputs)
  .map((p) => relative(cli, join(root, p)))
  .filter((p) => !p.split('/').includes('node_modules'))
  .sort();
writeFileSync(join(out, 'inputs.json'), JSON.stringify({ builtAtMs: startedAtMs, inputs }, null, 1) + '\n');
console.log(`bundle-cli: packages/cli/bundle/cluster.js from ${Object.keys(result.metafile.inputs).length} modules (${inputs.length} of this repository)`);
