import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, TestCluster, containersOf, docker, removeStackContainers, until } from '../support/cluster.js';

interface PsTask { id: string; stack: string; service: string; slot: number; node: string; desiredState: string; state: string; containerId: string; error: string }
interface Svc { name: string; stack: string; mode: string; replicas: number; running: number; image: string }

const STACK = 'skel';

function stackFile(dir: string, body: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'stack.yml');
  writeFileSync(file, body);
  return file;
}

const V1 = `
services:
  web:
    image: ${IMAGE}
    command: ["httpd", "-f", "-p", "8080"]
    environment:
      GREETING: hello
      MODE: v1
    labels:
      tier: front
    stop_grace_period: 1s
    deploy:
      replicas: 2
  worker:
    image: ${IMAGE}
    command: sh -c "trap 'exit 0' TERM; while true; do sleep 1; done"
    stop_grace_period: 1s
`;

describe('walking skeleton on a real engine', { timeout: 300_000 }, () => {
  let c: TestCluster;
  let dir: string;

  before(async () => {
    await removeStackContainers(STACK);
    c = await TestCluster.start();
    dir = join(c.home, STACK);
  });
  after(async () => {
    c?.stop();
    await removeStackContainers(STACK);
  });

  test('init makes a ready node that cluster nodes lists', () => {
    const nodes = c.json<{ name: string; status: string; role: string; availability: string }[]>(['nodes']);
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0]!.name, c.nodeName);
    assert.equal(nodes[0]!.status, 'ready');
    assert.equal(nodes[0]!.availability, 'active');
  });

  test('token worker -q prints one join token', () => {
    const r = c.cli(['token', 'worker', '-q']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out.trim(), /^CLUSTER-1-[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  test('deploy converges and containers carry labels and environment', async () => {
    const r = c.cli(['deploy', stackFile(dir, V1)]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /converged/);
    const tasks = c.json<PsTask[]>(['ps', STACK]);
    assert.equal(tasks.filter((t) => t.state === 'running').length, 3);
    const web = tasks.filter((t) => t.service === 'skel_web');
    assert.deepEqual(web.map((t) => t.slot).sort(), [1, 2]);
    const containers = await containersOf(STACK);
    assert.equal(containers.filter((x) => x.State === 'running').length, 3);
    const info = await docker.getContainer(web[0]!.containerId).inspect();
    assert.equal(info.Config.Labels['cluster.stack'], 'skel');
    assert.equal(info.Config.Labels['cluster.service'], 'skel_web');
    assert.equal(info.Config.Labels['cluster.task'], web[0]!.id);
    assert.equal(info.Config.Labels['tier'], 'front');
    assert.ok(info.Config.Env.includes('GREETING=hello'));
    assert.ok(info.Config.Env.includes('MODE=v1'));
    const services = c.json<Svc[]>(['services']);
    assert.deepEqual(services.map((s) => [s.name, s.replicas, s.running]), [['skel_web', 2, 2], ['skel_worker', 1, 1]]);
  });

  test('redeploying the same file restarts nothing', async () => {
    const before = (await containersOf(STACK)).map((x) => x.Id).sort();
    const r = c.cli(['deploy', join(dir, 'stack.yml')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /unchanged\s+skel_web/);
    const now = (await containersOf(STACK)).map((x) => x.Id).sort();
    assert.deepEqual(now, before);
  });

  test('scale up and down changes the running containers', async () => {
    let r = c.cli(['scale', 'web=4', 'skel_worker=0']);
    assert.equal(r.code, 0, r.err);
    await until('4 web and 0 worker containers', 30_000, async () => {
      const all = await containersOf(STACK);
      const web = all.filter((x) => x.Labels['cluster.service'] === 'skel_web' && x.State === 'running').length;
      const worker = all.filter((x) => x.Labels['cluster.service'] === 'skel_worker').length;
      return web === 4 && worker === 0 ? true : undefined;
    });
    r = c.cli(['scale', 'web=1']);
    assert.equal(r.code, 0, r.err);
    await until('1 web container', 30_000, async () => {
      const all = await containersOf(STACK);
      return all.filter((x) => x.Labels['cluster.service'] === 'skel_web').length === 1 ? true : undefined;
    });
    const web = c.json<PsTask[]>(['ps', 'web']).filter((t) => t.desiredState === 'running');
    assert.deepEqual(web.map((t) => t.slot), [1]);
  });

  test('a killed container is replaced by a new task in the same slot', async () => {
    const [task] = c.json<PsTask[]>(['ps', 'skel_web']).filter((t) => t.desiredState === 'running');
    assert.ok(task);
    await docker.getContainer(task.containerId).kill();
    const replacement = await until('a new running task in slot 1', 30_000, () => {
      const t = c.json<PsTask[]>(['ps', 'skel_web']).find((x) => x.desiredState === 'running' && x.state === 'running' && x.id !== task.id);
      return t;
    });
    assert.equal(replacement.slot, task.slot);
    assert.notEqual(replacement.containerId, task.containerId);
    const history = c.json<PsTask[]>(['ps', 'skel_web', '--all']).find((x) => x.id === task.id);
    assert.equal(history?.state, 'failed');
    assert.match(history?.error ?? '', /exited with code 137/);
  });

  test('redeploy replaces only the changed service and removes a dropped one', async () => {
    const r0 = c.cli(['deploy', join(dir, 'stack.yml')]);
    assert.equal(r0.code, 0, r0.err);
    const before = await containersOf(STACK);
    const workerBefore = before.filter((x) => x.Labels['cluster.service'] === 'skel_worker').map((x) => x.Id);
    const webBefore = before.filter((x) => x.Labels['cluster.service'] === 'skel_web').map((x) => x.Id);
    writeFileSync(join(dir, 'stack.yml'), V1.replace('MODE: v1', 'MODE: v2'));
    const r = c.cli(['deploy', join(dir, 'stack.yml')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /update\s+skel_web/);
    assert.match(r.out, /unchanged\s+skel_worker/);
    await until('old web containers gone', 30_000, async () => {
      const ids = (await containersOf(STACK)).map((x) => x.Id);
      return webBefore.every((id) => !ids.includes(id)) ? true : undefined;
    });
    const after = await containersOf(STACK);
    assert.deepEqual(after.filter((x) => x.Labels['cluster.service'] === 'skel_worker').map((x) => x.Id), workerBefore);
    const web = after.filter((x) => x.Labels['cluster.service'] === 'skel_web');
    assert.equal(web.length, 2);
    for (const w of web) {
      const info = await docker.getContainer(w.Id).inspect();
      assert.ok(info.Config.Env.includes('MODE=v2'));
    }
    writeFileSync(join(dir, 'stack.yml'), V1.replace(/ {2}worker:[\s\S]*$/, ''));
    const r2 = c.cli(['deploy', join(dir, 'stack.yml')]);
    assert.equal(r2.code, 0, r2.err);
    assert.match(r2.out, /remove\s+skel_worker/);
    await until('worker containers gone', 30_000, async () =>
      (await containersOf(STACK)).some((x) => x.Labels['cluster.service'] === 'skel_worker') ? undefined : true);
    assert.deepEqual(c.json<Svc[]>(['services']).map((s) => s.name), ['skel_web']);
  });

  test('desired state survives kill -9 of the manager', async () => {
    // Let the previous step settle: exactly the two web containers, running.
    const ids = await until('only the 2 web containers', 30_000, async () => {
      const all = await containersOf(STACK);
      return all.length === 2 && all.every((x) => x.State === 'running') ? all.map((x) => x.Id).sort() : undefined;
    });
    process.kill(c.managerPid(), 'SIGKILL');
    const r = c.cli(['init', '--listen', `127.0.0.1:${c.port}`, '--name', c.nodeName]);
    // The tests after this one need a manager: if this start failed, one more before the verdict.
    if (r.code !== 0) c.cli(['init', '--listen', `127.0.0.1:${c.port}`, '--name', c.nodeName]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /resumed/);
    await until('the node ready again', 20_000, () => c.json<{ status: string }[]>(['nodes']).every((n) => n.status === 'ready') || undefined);
    const services = c.json<Svc[]>(['services']);
    assert.deepEqual(services.map((s) => [s.name, s.replicas]), [['skel_web', 2]]);
    await until('2 running', 20_000, () => c.json<Svc[]>(['services'])[0]?.running === 2 || undefined);
    assert.deepEqual((await containersOf(STACK)).map((x) => x.Id).sort(), ids, 'no container was restarted');
  });

  test('rm removes every container and the stack network', async () => {
    const r = c.cli(['rm', STACK]);
    assert.equal(r.code, 0, r.err);
    await until('no containers of the stack', 30_000, async () => ((await containersOf(STACK)).length === 0 ? true : undefined));
    const nets = await docker.listNetworks({ filters: { label: [`cluster.stack=${STACK}`] } });
    assert.equal(nets.length, 0);
    assert.deepEqual(c.json<Svc[]>(['services']), []);
  });

  test('an image that is not on the node fails the deploy with the reason', () => {
    const file = stackFile(join(c.home, 'ghost'), `services:\n  app:\n    image: cluster-test/absent:1\n`);
    const r = c.cli(['deploy', file, '--timeout', '60s']);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /ghost_app cannot run: .*cluster-test\/absent:1/);
    assert.equal(c.cli(['rm', 'ghost']).code, 0);
  });
});
