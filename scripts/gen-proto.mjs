// gen-proto regenerates packages/api/src/generated from proto/ with the very
// options packages/api/src/load.ts gives the loader; `--check` fails when the
// committed output is stale.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync, statSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, 'packages/api/src/generated');
const check = process.argv.includes('--check');
const target = check ? mkdtempSync(join(tmpdir(), 'gen-proto-')) : join(tmpdir(), `gen-proto-${process.pid}`);
const files = readdirSync(join(root, 'proto/cluster/v1')).filter((f) => f.endsWith('.proto')).map((f) => `cluster/v1/${f}`);
execFileSync(join(root, 'node_modules/.bin/proto-loader-gen-types'), [
  '--longs=Number', '--enums=String', '--defaults', '--oneofs', '--keepCase=false',
  '--includeComments', '--grpcLib=@grpc/grpc-js', '--importFileExtension=.js',
  '-I', join(root, 'proto'), '-O', target, ...files,
], { stdio: 'inherit' });

function walk(dir) {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}
// The generator writes the absolute proto path into each header; keep the
// output independent of where the repository is checked out.
for (const f of walk(target)) {
  const text = readFileSync(f, 'utf8');
  writeFileSync(f, text.split(join(root, 'proto') + '/').join('proto/'));
}
if (check) {
  const fresh = walk(target).map((f) => relative(target, f)).sort();
  let current = [];
  try { current = walk(outDir).map((f) => relative(outDir, f)).sort(); } catch { /* missing */ }
  const stale = fresh.filter((f) => !current.includes(f) || readFileSync(join(target, f), 'utf8') !== readFileSync(join(outDir, f), 'utf8'))
    .concat(current.filter((f) => !fresh.includes(f)));
  rmSync(target, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(`gen-proto: generated types are stale (${stale.join(', ')}); run npm run gen:proto and commit`);
    process.exit(1);
  }
  console.log('gen-proto: generated types are up to date');
} else {
  rmSync(outDir, { recursive: true, force: true });
  cpSync(target, outDir, { recursive: true });
  rmSync(target, { recursive: true, force: true });
}
