// test runs every test file in one `node --test` so the closing summary
// counts them all: unit tests first, then tests against the real engine
// (*.engine.test.js), then end-to-end and lab tests under test/dist.
// --unit runs only the unit tests; --e2e skips them; --lab-only only test/dist/lab.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
// The same build as `npm run build`: the compiled packages, then the CLI's bundle (scripts/bundle-cli.mjs).
for (const [cmd, argv] of [['npx', ['tsc', '-b']], [process.execPath, ['scripts/bundle-cli.mjs']]]) {
  const build = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.js') ? [p] : [];
  });
}
const pkgTests = readdirSync(join(root, 'packages')).flatMap((p) => walk(join(root, 'packages', p, 'dist'))).sort();
const unit = pkgTests.filter((f) => !f.endsWith('.engine.test.js'));
const engine = pkgTests.filter((f) => f.endsWith('.engine.test.js'));
const e2e = walk(join(root, 'test/dist')).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
function rank(f) {
  return f.includes('/lab/') ? 2 : f.includes('/e2e/') ? 1 : 0;
}
// Tests on real containers need an engine and the local images: set them up
// (as root on Debian this installs docker.io) unless only unit tests run.
if (!args.includes('--unit')) {
  for (const step of [['bash', ['deploy/ensure-docker.sh']], ['bash', ['deploy/images/make-images.sh']]]) {
    const r = spawnSync(step[0], step[1], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
let files;
if (args.includes('--unit')) files = unit;
else if (args.includes('--lab-only')) files = e2e.filter((f) => f.includes('/lab/'));
else if (args.includes('--e2e')) files = [...engine, ...e2e];
else files = [...unit, ...engine, ...e2e];
console.log(`test: ${files.length} files (${unit.length} unit, ${engine.length} engine, ${e2e.length} end-to-end)`);
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=600000', ...files.map((f) => relative(root, f))], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
