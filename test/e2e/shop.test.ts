/**
 * The example shop stack deployed for real, as users bring it: web + Redis
 * (with a healthcheck and a named volume) + two workers. The web app starts
 * only once Redis is healthy; what it writes survives `cluster rm` and a new
 * deploy; `cluster rm --volumes` is what deletes the data.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { TestCluster, containersOf, docker, freePort, removeStackContainers, until } from '../support/cluster.js';

const STACK = 'shope2e';
const VOLUME = `${STACK}_redis-data`;
const ROOT = join(import.meta.dirname, '..', '..', '..');
const FILE = join(ROOT, 'examples', 'shop', 'compose.yml');

function fetchText(port: number, path = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${res.statusCode}: ${body}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function visits(port: number): Promise<number> {
  const body = await until('the web app answers', 30_000, () => fetchText(port).catch(() => undefined));
  const m = /visits (\d+)/.exec(body);
  assert.ok(m, body);
  return Number(m[1]);
}

async function removeVolume(): Promise<void> {
  await docker.getVolume(VOLUME).remove().catch(() => undefined);
}

describe('the shop example on a real engine', { timeout: 300_000 }, () => {
  let c: TestCluster;
  let port: number;

  before(async () => {
    const images = await docker.listImages({ filters: { reference: ['cluster-demo/app', 'cluster-demo/redis'] } });
    if (images.length < 2) {
      const r = spawnSync('bash', [join(ROOT, 'deploy/images/make-demo-images.sh')], { encoding: 'utf8', timeout: 240_000 });
      assert.equal(r.status, 0, r.stderr);
    }
    await removeStackContainers(STACK);
    await removeVolume();
    c = await TestCluster.start();
    port = await freePort();
  });
  after(async () => {
    c?.stop();
    await removeStackContainers(STACK);
    await removeVolume();
  });

  const deploy = () => c.cli(['deploy', FILE, '--name', STACK, '--timeout', '90s'], { env: { SHOP_PORT: String(port) }, timeoutMs: 120_000 });

  test('web starts once redis is healthy, and counts visits', { timeout: 150_000 }, async () => {
    const r = deploy();
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /converged/);
    const containers = await containersOf(STACK);
    const redis = containers.find((x) => x.Labels['cluster.service'] === `${STACK}_redis`);
    const web = containers.find((x) => x.Labels['cluster.service'] === `${STACK}_web` && x.State === 'running');
    assert.ok(redis && web);
    const redisInfo = await docker.getContainer(redis.Id).inspect();
    const webInfo = await docker.getContainer(web.Id).inspect();
    const firstHealthy = redisInfo.State.Health?.Log.find((l) => l.ExitCode === 0);
    assert.ok(firstHealthy, 'redis passed its healthcheck');
    assert.ok(new Date(webInfo.State.StartedAt) >= new Date(firstHealthy.End), `web started ${webInfo.State.StartedAt}, redis healthy ${firstHealthy.End}`);
    assert.deepEqual(redisInfo.Mounts.map((m) => [m.Type, m.Name, m.Destination]), [['volume', VOLUME, '/data']]);
    const volume = await docker.getVolume(VOLUME).inspect();
    assert.equal(volume.Labels?.['cluster.stack'], STACK);
    const first = await visits(port);
    assert.equal(await visits(port), first + 1);
  });

  test('the data survives cluster rm and a new deploy', { timeout: 150_000 }, async () => {
    const before = await visits(port);
    const rm = c.cli(['rm', STACK]);
    assert.equal(rm.code, 0, rm.err);
    await until('the containers are gone', 30_000, async () => ((await containersOf(STACK)).length === 0 ? true : undefined));
    assert.ok(await docker.getVolume(VOLUME).inspect(), 'the volume is kept');
    const r = deploy();
    assert.equal(r.code, 0, r.err);
    assert.equal(await visits(port), before + 1);
  });

  test('cluster rm --volumes deletes the data on the node', { timeout: 90_000 }, async () => {
    const rm = c.cli(['rm', STACK, '--volumes']);
    assert.equal(rm.code, 0, rm.err);
    await until('the volume is deleted', 30_000, async () => (await docker.getVolume(VOLUME).inspect().then(() => undefined, () => true)));
    assert.deepEqual(await containersOf(STACK), []);
  });
});
