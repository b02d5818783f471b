/**
 * `cluster` installed as a user installs it: scripts/pack.mjs packs the
 * package, `npm install -g` puts the tarball into a clean prefix (its
 * third-party dependencies from the npm registry, nothing from this
 * repository), and the installed `cluster` runs: `--version` says the CLI
 * package's version and `cluster config` validates a stack with no manager.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../support/cluster.js';

describe('the packed package', { timeout: 600_000 }, () => {
  let work: string;
  let bin: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'cluster-install-'));
    const pack = spawnSync(process.execPath, [join(REPO, 'scripts/pack.mjs'), '--out', join(work, 'pack')], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = pack.stdout.trim().split('\n').pop()!;
    assert.ok(existsSync(tarball), tarball);
    // Installed from outside the repository, into a prefix of its own.
    const install = spawnSync('npm', ['install', '-g', '--allow-scripts=better-sqlite3,protobufjs', '--no-audit', '--no-fund', '--prefix', join(work, 'prefix'), tarball], {
      cwd: work,
      encoding: 'utf8',
      timeout: 400_000,
    });
    assert.equal(install.status, 0, install.stderr);
    bin = join(work, 'prefix', 'bin', 'cluster');
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('cluster --version runs from the installed package and prints the CLI version', () => {
    const expected = (JSON.parse(readFileSync(join(REPO, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
    const r = spawnSync(bin, ['--version'], { cwd: work, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), expected);
    // The installed CLI does not reach back into the repository for its code.
    const real = spawnSync('readlink', ['-f', bin], { encoding: 'utf8' }).stdout.trim();
    assert.ok(real.startsWith(join(work, 'prefix')), real);
  });

  test('the installed cluster validates a stack with no manager (its protos and validator are in the package)', () => {
    const dir = join(work, 'stack');
    spawnSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'compose.yml'), 'services:\n  web:\n    image: cluster-test/busybox:latest\n    deploy:\n      replicas: 2\n');
    const r = spawnSync(bin, ['config', '--format', 'json'], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CLUSTER_HOME: join(work, 'home') } });
    assert.equal(r.status, 0, r.stderr);
    const spec = JSON.parse(r.stdout) as { services: Record<string, { replicas?: number }> };
    assert.ok(spec.services['web'], r.stdout);
    // The daemons' programs are part of the package too.
    const managerMain = join(work, 'prefix/lib/node_modules/@cluster/cluster/node_modules/@cluster/manager/dist/main.js');
    assert.ok(existsSync(managerMain), managerMain);
    const db = spawnSync(process.execPath, ['-e', "const D = require('better-sqlite3'); new D(':memory:').prepare('select 1').get()"], {
      cwd: join(work, 'prefix/lib/node_modules/@cluster/cluster'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(db.status, 0, `the manager's store (better-sqlite3) does not load from the installed package: ${db.stderr}`);
  });
});
