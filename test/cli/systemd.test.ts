/**
 * The systemd units deploy/systemd/install.sh writes (with --no-start, as on
 * a host where systemd does not run): they start the right program on the
 * right data dir, restart it, order the agent after the Docker engine, keep
 * the join token out of the unit, and pass `systemd-analyze verify` where
 * it is installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');
const INSTALL = join(REPO, 'deploy/systemd/install.sh');

/** directives are the `Key=value` lines of a unit, by key (a key may repeat). */
function directives(unit: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of unit.split('\n')) {
    const hit = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (hit) m.set(hit[1]!, [...(m.get(hit[1]!) ?? []), hit[2]!]);
  }
  return m;
}

describe('the systemd units', () => {
  let dir: string;
  let units: string;
  let data: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cluster-units-'));
    units = join(dir, 'units');
    data = join(dir, 'data');
    for (const args of [
      ['manager', '--listen', '0.0.0.0:7700', '--advertise', '10.0.0.1'],
      ['agent', '--manager', '10.0.0.1:7700', '--token', 'CLUSTER-1-secret', '--name', 'node 1', '--label', 'zone=a'],
    ]) {
      const r = spawnSync('bash', [INSTALL, ...args, '--unit-dir', units, '--data-dir', data, '--no-start'], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 0, r.stderr);
    }
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the manager unit runs the manager on DATA/manager, restarts it and is hardened', () => {
    const d = directives(readFileSync(join(units, 'cluster-manager.service'), 'utf8'));
    const exec = d.get('ExecStart')![0]!;
    assert.match(exec, /manager\/dist\/main\.js --data-dir \S+\/data\/manager /);
    assert.ok(exec.includes(`--data-dir ${data}/manager`), exec);
    assert.ok(exec.includes('"--listen" "0.0.0.0:7700"'), exec);
    assert.deepEqual(d.get('Restart'), ['always']);
    assert.deepEqual(d.get('ReadWritePaths'), [data]);
    assert.deepEqual(d.get('ProtectSystem'), ['strict']);
    assert.deepEqual(d.get('NoNewPrivileges'), ['yes']);
    assert.deepEqual(d.get('WantedBy'), ['multi-user.target']);
    assert.ok(existsSync(join(data, 'manager')));
    assert.equal(statSync(join(data, 'manager')).mode & 0o777, 0o700);
  });

  test('the agent unit runs the agent on DATA/agent after the Docker engine; the token is in a 0600 file, not the unit', () => {
    const text = readFileSync(join(units, 'cluster-agent.service'), 'utf8');
    const d = directives(text);
    const exec = d.get('ExecStart')![0]!;
    assert.ok(exec.includes(`agent/dist/main.js --data-dir ${data}/agent`), exec);
    assert.ok(exec.includes('"--manager" "10.0.0.1:7700"') && exec.includes('"--name" "node 1"') && exec.includes('"--label" "zone=a"'), exec);
    assert.ok(d.get('After')![0]!.split(/\s+/).includes('docker.service'), String(d.get('After')));
    assert.ok(d.get('Wants')![0]!.split(/\s+/).includes('docker.service'), String(d.get('Wants')));
    assert.deepEqual(d.get('Restart'), ['always']);
    // Stopping the agent leaves the engine's containers running (they are re-adopted).
    assert.deepEqual(d.get('KillMode'), ['process']);
    assert.deepEqual(d.get('EnvironmentFile'), [`-${data}/agent/join.env`]);
    assert.ok(!text.includes('CLUSTER-1-secret'), 'the join token is not written into the unit');
    const env = join(data, 'agent', 'join.env');
    assert.equal(readFileSync(env, 'utf8').trim(), 'CLUSTER_JOIN_TOKEN=CLUSTER-1-secret');
    assert.equal(statSync(env).mode & 0o777, 0o600);
  });

  test('an agent that has not joined yet needs a token and a manager', () => {
    const r = spawnSync('bash', [INSTALL, 'agent', '--unit-dir', join(dir, 'other'), '--data-dir', join(dir, 'other-data'), '--no-start'], { encoding: 'utf8', timeout: 30_000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--manager and --token are needed/);
  });

  test('systemd-analyze verify accepts both units (where systemd-analyze is installed)', (t) => {
    if (spawnSync('systemd-analyze', ['--version']).status !== 0) {
      t.skip('systemd-analyze is not installed');
      return;
    }
    const r = spawnSync('systemd-analyze', ['verify', join(units, 'cluster-manager.service'), join(units, 'cluster-agent.service')], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.trim(), '', r.stderr);
  });
});
