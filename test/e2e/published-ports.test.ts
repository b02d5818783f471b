import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, TestCluster } from '../support/cluster.js';

// The routing mesh listens on every node: a published port belongs to one
// service of the whole cluster. No agent runs; nothing starts.
describe('two stacks cannot publish the same port', { timeout: 120_000 }, () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start(['--no-agent']);
  });
  after(() => c?.stop());

  const write = (stack: string, body: string): string => {
    const dir = join(c.home, stack);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'stack.yml'), body);
    return join(dir, 'stack.yml');
  };
  const web = (port: string): string => `services:\n  web:\n    image: ${IMAGE}\n    ports: ["${port}"]\n    deploy:\n      replicas: 0\n`;

  test('the second stack is refused with one line naming the port and the owner', () => {
    assert.equal(c.cli(['deploy', write('one', web('18080:80')), '--detach']).code, 0);
    const r = c.cli(['deploy', write('two', web('18080:80')), '--detach']);
    assert.equal(r.code, 1);
    assert.match(r.err, /services\.web\.ports: published port 18080\/tcp is already used by service one_web of stack one; two stacks cannot publish the same port/);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    const services = c.json<{ name: string }[]>(['services']).map((s) => s.name);
    assert.deepEqual(services, ['one_web']);
  });

  test('the same stack may deploy again, and another port or protocol is fine', () => {
    assert.equal(c.cli(['deploy', write('one', web('18080:80')), '--detach']).code, 0);
    assert.equal(c.cli(['deploy', write('two', web('18081:80')), '--detach']).code, 0);
    assert.equal(c.cli(['deploy', write('three', web('18080:80/udp')), '--detach']).code, 0);
  });
});
