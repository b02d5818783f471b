/**
 * The pull timeout is the node's option: `cluster init --pull-timeout 2s`
 * gives the local agent's pulls 2 s, and a registry that takes the
 * connection but never answers fails the deploy saying so, in that time
 * rather than the default 20 s.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestCluster, removeStackContainers } from '../support/cluster.js';

const STACK = 'composepulltimeoute2e';

describe('the pull timeout of a node', { timeout: 180_000 }, () => {
  let c: TestCluster | undefined;
  let silent: Server | undefined;
  const sockets = new Set<Socket>();
  let port = 0;

  before(async () => {
    await removeStackContainers(STACK);
    // A "registry" on loopback that takes connections and never answers.
    silent = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', () => resolve()));
    port = (silent.address() as { port: number }).port;
    c = await TestCluster.start(['--pull-timeout', '2s']);
  });

  after(async () => {
    c?.stop();
    await removeStackContainers(STACK);
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
  });

  test('a pull that gets no answer fails after the node\'s --pull-timeout, and the deploy says so', { timeout: 120_000 }, async () => {
    const dir = join(c!.home, 'stack');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compose.yml'), ['services:', '  app:', `    image: 127.0.0.1:${port}/compose-e2e/never:1`, ''].join('\n'));
    const started = Date.now();
    const r = c!.cli(['deploy', join(dir, 'compose.yml'), '--name', STACK, '--timeout', '60s', '--no-registry-auth']);
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.err, /could not be pulled: pull timed out after 2000ms \(the node's --pull-timeout\)/);
    assert.ok(Date.now() - started < 20_000, `failed after ${Date.now() - started} ms, before the default 20 s`);
    assert.equal(c!.cli(['rm', STACK]).code, 0);
  });
});
