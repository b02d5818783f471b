/**
 * `cluster config` as CI runs it: a process with an empty CLUSTER_HOME and no
 * manager anywhere validates a stack, prints it, and exits non-zero on errors.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../support/cluster.js';

const dir = mkdtempSync(join(tmpdir(), 'cluster-config-'));
const home = join(dir, 'home');
mkdirSync(home);
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): { code: number; out: string; err: string } {
  // CLUSTER_MANAGER-like settings are left out on purpose: nothing tells the CLI where a manager is.
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', HOME: dir, CLUSTER_HOME: home }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('config validates and prints a stack with an empty CLUSTER_HOME, and fails on a broken one', () => {
  writeFileSync(join(dir, 'ok.yml'), 'services:\n  web: {image: busybox, ports: ["8080:80"]}\n');
  const ok = cli(['config', '-c', 'ok.yml', '--name', 'ci', '--format', 'json']);
  assert.equal(ok.code, 0, ok.err);
  assert.equal((JSON.parse(ok.out) as { services: Record<string, { image: string }> }).services['web']?.image, 'busybox');

  writeFileSync(join(dir, 'broken.yml'), 'services:\n  web:\n    image: busybox\n    deploy: {replicas: lots}\n');
  const bad = cli(['config', '-c', 'broken.yml']);
  assert.equal(bad.code, 1);
  assert.equal(bad.out, '');
  assert.match(bad.err, /broken\.yml:4:\d+ services\.web\.deploy\.replicas/);
  assert.match(bad.err, /the stack is not valid/);
  assert.deepEqual(readdirSync(home), [], 'config wrote nothing to CLUSTER_HOME');
});
