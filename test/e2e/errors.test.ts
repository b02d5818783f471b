import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, TestCluster, freePort } from '../support/cluster.js';

describe('bad input gets one clear error and the manager keeps running', { timeout: 120_000 }, () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start(['--no-agent']);
  });
  after(() => c?.stop());

  const write = (name: string, body: string): string => {
    const dir = join(c.home, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'stack.yml'), body);
    return join(dir, 'stack.yml');
  };

  test('a missing file names the file', () => {
    const r = c.cli(['deploy', 'nope.yml']);
    assert.equal(r.code, 1);
    assert.match(r.err, /cannot read nope\.yml: no such file/);
  });

  test('a YAML syntax error gives file:line:col', () => {
    const f = write('broken', 'services:\n  web:\n    image: [unclosed\n');
    const r = c.cli(['deploy', f]);
    assert.equal(r.code, 1);
    assert.match(r.err, /stack\.yml:\d+:\d+/);
    assert.match(r.err, /nothing was deployed/);
  });

  test('every invalid value is reported at once with its YAML path', () => {
    const f = write('bad', `services:\n  web:\n    image: ${IMAGE}\n    ports: ["80800:80"]\n    deploy:\n      replicas: -1\n`);
    const r = c.cli(['deploy', f]);
    assert.equal(r.code, 1);
    assert.match(r.err, /stack\.yml:4:\d+ services\.web\.ports\[0\]/);
    assert.match(r.err, /stack\.yml:6:\d+ services\.web\.deploy\.replicas/);
  });

  test('an invalid stack name is refused', () => {
    const f = write('ok', `services:\n  web:\n    image: ${IMAGE}\n`);
    const r = c.cli(['deploy', f, '--name', 'Bad Name']);
    assert.equal(r.code, 1);
    assert.match(r.err, /invalid stack name "Bad Name"/);
  });

  test('scale refuses an unknown service, a negative and a non-numeric count', () => {
    let r = c.cli(['scale', 'ghost=2']);
    assert.equal(r.code, 1);
    assert.match(r.err, /service "ghost" not found/);
    r = c.cli(['scale', 'web=-1']);
    assert.equal(r.code, 1);
    assert.match(r.err, /invalid replica count "-1"/);
    r = c.cli(['scale', 'web=three']);
    assert.equal(r.code, 1);
    assert.match(r.err, /invalid replica count "three"/);
  });

  test('an unreachable manager names the address tried', async () => {
    const port = await freePort();
    const r = c.cli(['nodes', '--manager', `127.0.0.1:${port}`]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`cannot reach the manager at 127\\.0\\.0\\.1:${port}`));
    assert.equal(r.err.trim().split('\n').length, 1, 'one line');
  });

  test('the manager still answers after all of that', () => {
    const r = c.cli(['nodes']);
    assert.equal(r.code, 0, r.err);
  });
});
