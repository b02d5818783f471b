import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// bin/entry.js is plain JavaScript beside the `cluster` command, loaded from the repository root.
const cliDir = new URL('../../../packages/cli/', import.meta.url);
const { entryPoint } = await import(new URL('bin/entry.js', cliDir).href);

function fakeCli(): { dir: string; url: URL } {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-entry-'));
  mkdirSync(join(dir, 'bundle'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'bundle/cluster.js'), '');
  writeFileSync(join(dir, 'dist/bin.js'), '');
  writeFileSync(join(dir, 'dist/run.js'), '');
  const old = new Date(Date.now() - 60_000);
  utimesSync(join(dir, 'dist/run.js'), old, old);
  writeFileSync(join(dir, 'bundle/inputs.json'), JSON.stringify({ builtAtMs: Date.now() - 30_000, inputs: ['dist/run.js'] }));
  return { dir, url: pathToFileURL(`${dir}/`) };
}

test('the bundle runs while every file it was made from is older than it', () => {
  const { dir, url } = fakeCli();
  try {
    assert.equal(entryPoint(url), new URL('bundle/cluster.js', url).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file rebuilt after the bundle, a missing input, bundle or list: the compiled modules run', () => {
  const cases: [string, (dir: string) => void][] = [
    ['input newer', (dir) => writeFileSync(join(dir, 'dist/run.js'), 'changed')],
    ['input gone', (dir) => rmSync(join(dir, 'dist/run.js'))],
    ['bundle gone', (dir) => rmSync(join(dir, 'bundle/cluster.js'))],
    ['no list', (dir) => rmSync(join(dir, 'bundle/inputs.json'))],
  ];
  for (const [what, change] of cases) {
    const { dir, url } = fakeCli();
    try {
      change(dir);
      assert.equal(entryPoint(url), new URL('dist/bin.js', url).href, what);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('the repository\'s bundle lists the CLI, api and core files it holds, and runs', { skip: !existsSync(new URL('bundle/inputs.json', cliDir)) && 'no bundle (npm run build makes it)' }, () => {
  const { inputs } = JSON.parse(readFileSync(new URL('bundle/inputs.json', cliDir), 'utf8')) as { inputs: string[] };
  for (const f of ['dist/bin.js', 'dist/commands/deploy.js', 'dist/client.js', '../api/dist/load.js', '../core/dist/index.js']) assert.ok(inputs.includes(f), f);
  assert.ok(!inputs.some((f) => f.includes('node_modules')));
  const help = execFileSync(process.execPath, [new URL('bundle/cluster.js', cliDir).pathname, 'deploy', '--help'], { encoding: 'utf8' });
  assert.match(help, /wait until it converged/);
});
