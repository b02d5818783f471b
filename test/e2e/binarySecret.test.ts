/**
 * Secrets and configs are bytes end to end: a binary secret file (a keystore,
 * a DER certificate) is read by the CLI as bytes, travels as base64 through
 * the manager to the agent, and the container reads exactly those bytes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, TestCluster, containersOf, execIn, removeStackContainers } from '../support/cluster.js';

const STACK = 'binsecrete2e';

describe('a binary secret reaches the container byte for byte', { timeout: 180_000 }, () => {
  let c: TestCluster;
  before(async () => {
    await removeStackContainers(STACK);
    c = await TestCluster.start();
  });
  after(async () => {
    c?.stop();
    await removeStackContainers(STACK);
  });

  test('a secret and a config with bytes 00 ff fe 80 are read back unchanged in the container', { timeout: 120_000 }, async () => {
    const dir = join(c.home, 'stack');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'key.der'), Buffer.from([0x00, 0xff, 0xfe, 0x80]));
    writeFileSync(join(dir, 'compose.yml'), [
      'services:',
      '  app:',
      `    image: ${IMAGE}`,
      '    command: ["sh", "-c", "sleep 3600"]',
      '    stop_grace_period: 1s',
      '    secrets: [key]',
      '    configs: [{source: conf, target: /etc/key.der}]',
      'secrets:',
      '  key: {file: ./key.der}',
      'configs:',
      '  conf: {file: ./key.der}',
      '',
    ].join('\n'));
    const r = c.cli(['deploy', join(dir, 'compose.yml'), '--name', STACK, '--timeout', '60s']);
    assert.equal(r.code, 0, r.err);
    const [app] = (await containersOf(STACK)).filter((x) => x.State === 'running');
    assert.ok(app, 'the app container runs');
    assert.equal((await execIn(app.Id, ['od', '-An', '-tx1', '/run/secrets/key'])).trim(), '00 ff fe 80');
    assert.equal((await execIn(app.Id, ['od', '-An', '-tx1', '/etc/key.der'])).trim(), '00 ff fe 80');
    const rm = c.cli(['rm', STACK]);
    assert.equal(rm.code, 0, rm.err);
  });
});
