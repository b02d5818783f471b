import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, TestCluster, containersOf, removeStackContainers, until } from '../support/cluster.js';

const STACK = 'spread';

describe('nodes that join share the work', { timeout: 180_000 }, () => {
  let c: TestCluster;
  before(async () => {
    await removeStackContainers(STACK);
    c = await TestCluster.start(['--no-agent']);
  });
  after(async () => {
    c?.stop();
    await removeStackContainers(STACK);
  });

  test('join with a worker token makes ready nodes', () => {
    const token = c.cli(['token', 'worker', '-q']).out.trim();
    for (const name of ['north', 'south']) {
      const r = c.cli(['join', '--token', token, `127.0.0.1:${c.port}`, '--name', name, '--data-dir', join(c.home, name)]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`node ${name} joined`));
    }
    const nodes = c.json<{ name: string; role: string; status: string }[]>(['nodes']);
    assert.deepEqual(nodes.map((n) => [n.name, n.role, n.status]), [['north', 'worker', 'ready'], ['south', 'worker', 'ready']]);
  });

  test('a bad token is refused with the reason and no node is added', () => {
    const r = c.cli(['join', '--token', 'CLUSTER-1-not.a.token', `127.0.0.1:${c.port}`, '--name', 'east', '--data-dir', join(c.home, 'east')]);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /join token/);
    assert.equal(c.json<unknown[]>(['nodes']).length, 2);
  });

  test('four replicas spread two per node', async () => {
    const dir = join(c.home, STACK);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'stack.yml'), `services:\n  app:\n    image: ${IMAGE}\n    command: ["sleep", "3600"]\n    stop_grace_period: 1s\n    deploy:\n      replicas: 4\n`);
    const r = c.cli(['deploy', join(dir, 'stack.yml')]);
    assert.equal(r.code, 0, r.err);
    const tasks = c.json<{ node: string; state: string }[]>(['ps', STACK]);
    const perNode = new Map<string, number>();
    for (const t of tasks) perNode.set(t.node, (perNode.get(t.node) ?? 0) + 1);
    assert.deepEqual([...perNode.entries()].sort(), [['north', 2], ['south', 2]]);
    const containers = await containersOf(STACK);
    const byNodeLabel = new Set(containers.map((x) => x.Labels['cluster.node']));
    assert.equal(byNodeLabel.size, 2, 'containers carry the id of the node that runs them');
  });

  test('scale to zero stops every replica', async () => {
    assert.equal(c.cli(['scale', 'app=0']).code, 0);
    await until('no containers', 30_000, async () => ((await containersOf(STACK)).length === 0 ? true : undefined));
    assert.deepEqual(c.json<unknown[]>(['ps', STACK]), []);
  });
});
