/**
 * depends_on on a real cluster: a dependent starts only once its dependency
 * is healthy (a global service's tasks too), and a dependency that never gets healthy fails the deploy with
 * an error naming it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, TestCluster, containersOf, docker, removeStackContainers } from '../support/cluster.js';

const STACK = 'depe2e';

function stack(dir: string, healthTest: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'compose.yml');
  writeFileSync(file, [
    'services:',
    '  db:',
    `    image: ${IMAGE}`,
    '    command: ["sh", "-c", "sleep 2; touch /ready; sleep 3600"]',
    '    stop_grace_period: 1s',
    `    healthcheck: {test: ["CMD-SHELL", "${healthTest}"], interval: 1s, timeout: 1s, retries: 2}`,
    '  web:',
    `    image: ${IMAGE}`,
    '    command: ["sh", "-c", "sleep 3600"]',
    '    stop_grace_period: 1s',
    '    depends_on: {db: {condition: service_healthy}}',
    '  agent:',
    `    image: ${IMAGE}`,
    '    command: ["sh", "-c", "sleep 3600"]',
    '    stop_grace_period: 1s',
    '    deploy: {mode: global}',
    '    depends_on: {db: {condition: service_healthy}}',
    '',
  ].join('\n'));
  return file;
}

describe('depends_on on a real cluster', { timeout: 240_000 }, () => {
  let c: TestCluster;
  before(async () => {
    await removeStackContainers(STACK);
    c = await TestCluster.start();
  });
  after(async () => {
    c?.stop();
    await removeStackContainers(STACK);
  });

  test('web and the global agent start after db is healthy', { timeout: 90_000 }, async () => {
    const r = c.cli(['deploy', stack(join(c.home, 'ok'), 'test -f /ready'), '--name', STACK, '--timeout', '60s']);
    assert.equal(r.code, 0, r.err);
    const all = await containersOf(STACK);
    const db = all.find((x) => x.Labels['cluster.service'] === `${STACK}_db`);
    const web = all.find((x) => x.Labels['cluster.service'] === `${STACK}_web`);
    const agent = all.find((x) => x.Labels['cluster.service'] === `${STACK}_agent`);
    assert.ok(db && web && agent);
    const dbInfo = await docker.getContainer(db.Id).inspect();
    const healthy = dbInfo.State.Health?.Log.find((l) => l.ExitCode === 0);
    assert.ok(healthy);
    for (const dependent of [web, agent]) {
      const info = await docker.getContainer(dependent.Id).inspect();
      assert.ok(new Date(info.State.StartedAt) >= new Date(healthy.End), `${info.Name} started before db was healthy`);
    }
    const rm = c.cli(['rm', STACK]);
    assert.equal(rm.code, 0, rm.err);
  });

  test('a dependency that never gets healthy fails the deploy, naming it', { timeout: 90_000 }, async () => {
    const r = c.cli(['deploy', stack(join(c.home, 'bad'), 'exit 1'), '--name', STACK, '--timeout', '60s']);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /depe2e_(web|agent) waits for db to be healthy, but db is unhealthy/);
    assert.equal((await containersOf(STACK)).filter((x) => x.Labels['cluster.service'] === `${STACK}_agent`).length, 0, 'the global agent was held back');
  });
});
