/**
 * A published port that another process holds is a task error, shown by
 * `cluster deploy` (it fails saying so) and `cluster services`, not
 * "converged"; once the port is free the node binds it and the error goes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { IMAGE, TestCluster, freePort, removeStackContainers, until } from '../support/cluster.js';

const STACK = 'seclimits-heldport';

interface Svc { name: string; running: number; replicas: number; converged: boolean; error: string }

describe('a published port another process holds', { timeout: 240_000 }, () => {
  let c: TestCluster;
  let holder: Server | undefined;
  before(async () => {
    await removeStackContainers(STACK);
    c = await TestCluster.start();
  });
  after(async () => {
    holder?.close();
    c?.stop();
    await removeStackContainers(STACK);
  });

  test('fails the deploy and shows in cluster services as an error, then clears once the port is free', async () => {
    const port = await freePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(port, '0.0.0.0', () => resolve()));
    const dir = join(c.home, STACK);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'stack.yml'), `
services:
  web:
    image: ${IMAGE}
    command: ["httpd", "-f", "-p", "8080"]
    stop_grace_period: 1s
    ports: ["${port}:8080"]
`);
    const r = c.cli(['deploy', 'stack.yml', '--name', STACK, '--timeout', '90s'], { cwd: dir, timeoutMs: 120_000 });
    assert.equal(r.code, 1, `deploy should fail:\n${r.out}\n${r.err}`);
    assert.match(r.err, new RegExp(`deploy: ${STACK}_web runs but is not served as asked: published port ${port}/tcp cannot be bound on [0-9.]+: another process holds it`));
    const [svc] = c.json<Svc[]>(['services', STACK]);
    assert.equal(svc?.converged, false);
    assert.match(svc?.error ?? '', new RegExp(`published port ${port}/tcp cannot be bound`));

    // The port is let go: the node binds it on its next try and the task's error goes.
    await new Promise<void>((resolve) => holder!.close(() => resolve()));
    holder = undefined;
    const served = await until('the service converges once the port is free', 60_000, () => {
      const [s] = c.json<Svc[]>(['services', STACK]);
      return s?.converged && s.error === '' ? s : undefined;
    });
    assert.equal(served.running, 1);
  });
});
