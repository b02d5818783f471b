/**
 * Keys that change what runs travel the whole way: from the Compose file
 * through the CLI and the manager (which checks the spec again) to the
 * agent, and are seen on the containers with `docker inspect`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, TestCluster, containersOf, docker, removeStackContainers } from '../support/cluster.js';

const STACK = 'keyse2e';

describe('Compose keys on a real cluster', { timeout: 180_000 }, () => {
  let c: TestCluster;
  before(async () => {
    await removeStackContainers(STACK);
    c = await TestCluster.start();
  });
  after(async () => {
    c?.stop();
    await removeStackContainers(STACK);
    await docker.getVolume(`${STACK}_data`).remove().catch(() => undefined);
  });

  test('read_only, tty, security_opt, logging, cpus, mem_limit, scale and volume labels reach the containers', { timeout: 120_000 }, async () => {
    const dir = join(c.home, 'stack');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compose.yml'), [
      'services:',
      '  app:',
      `    image: ${IMAGE}`,
      '    command: ["sh", "-c", "sleep 3600"]',
      '    stop_grace_period: 1s',
      '    read_only: true',
      '    tty: true',
      '    security_opt: ["no-new-privileges:true"]',
      '    logging: {driver: local, options: {max-size: 1m}}',
      '    cpus: 0.5',
      '    mem_limit: 64m',
      '    scale: 2',
      '    volumes: ["data:/data:nocopy"]',
      'volumes:',
      '  data: {labels: {tier: db}}',
      '',
    ].join('\n'));
    const r = c.cli(['deploy', join(dir, 'compose.yml'), '--name', STACK, '--timeout', '60s', '--strict']);
    assert.equal(r.code, 0, r.err);
    const running = (await containersOf(STACK)).filter((x) => x.State === 'running');
    assert.equal(running.length, 2, 'scale: 2 runs two tasks');
    for (const x of running) {
      const info = await docker.getContainer(x.Id).inspect();
      assert.equal(info.HostConfig.ReadonlyRootfs, true);
      assert.equal(info.Config.Tty, true);
      assert.deepEqual(info.HostConfig.SecurityOpt, ['no-new-privileges:true']);
      assert.deepEqual(info.HostConfig.LogConfig, { Type: 'local', Config: { 'max-size': '1m' } });
      assert.equal(info.HostConfig.NanoCpus, 500_000_000);
      assert.equal(info.HostConfig.Memory, 64 * 1024 * 1024);
      assert.equal((info.HostConfig.Mounts ?? []).find((m) => m.Target === '/data')?.VolumeOptions?.NoCopy, true);
    }
    const volume = await docker.getVolume(`${STACK}_data`).inspect();
    assert.equal(volume.Labels?.['tier'], 'db');
    const rm = c.cli(['rm', STACK, '--volumes']);
    assert.equal(rm.code, 0, rm.err);
  });

  test('labels of top-level networks (the default one too) are set on the engine networks, beside the cluster\'s', { timeout: 120_000 }, async () => {
    const stack = 'keysnete2e';
    await removeStackContainers(stack);
    const dir = join(c.home, 'net');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compose.yml'), [
      'services:',
      '  front:',
      `    image: ${IMAGE}`,
      '    command: ["sh", "-c", "sleep 3600"]',
      '    stop_grace_period: 1s',
      '  back:',
      `    image: ${IMAGE}`,
      '    command: ["sh", "-c", "sleep 3600"]',
      '    stop_grace_period: 1s',
      '    networks: [inner]',
      'networks:',
      '  default: {labels: {team: web}}',
      '  inner: {labels: [tier=db, "cluster.stack=not-this"]}',
      '',
    ].join('\n'));
    try {
      const r = c.cli(['deploy', join(dir, 'compose.yml'), '--name', stack, '--timeout', '60s', '--strict']);
      assert.equal(r.code, 0, r.err);
      const labels = async (name: string): Promise<Record<string, string>> => (await docker.getNetwork(name).inspect()).Labels as Record<string, string>;
      const def = await labels(`${stack}_default`);
      assert.equal(def.team, 'web');
      assert.equal(def['cluster.stack'], stack);
      const inner = await labels(`${stack}_inner`);
      assert.equal(inner.tier, 'db');
      assert.equal(inner['cluster.stack'], stack, 'the cluster\'s own label wins');
    } finally {
      c.cli(['rm', stack]);
      await removeStackContainers(stack);
    }
  });
});
