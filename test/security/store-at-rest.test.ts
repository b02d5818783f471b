/**
 * The manager's store keeps secrets and the token secret sealed: a copy of
 * store.db (and its WAL) without DATA/store.key reveals neither.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadCompose } from '@cluster/core';
import { STORE_KEY_FILE } from '@cluster/manager';
import { call, startTestManager, type Peer, type TestManager } from './harness.js';

const PASSWORD = 'correct-horse-battery-staple-4242';

describe('secrets at rest', { timeout: 60_000 }, () => {
  let m: TestManager;
  before(async () => {
    m = await startTestManager();
  });
  after(async () => {
    await m?.stop();
  });
  const admin = (): Peer => ({ caPem: m.admin.caPem, certPem: m.admin.certPem, keyPem: m.admin.keyPem });

  test('a deployed secret and the token secret are not found in clear in the SQLite files', async () => {
    const text = `services:\n  db:\n    image: busybox\n    secrets: [pw]\nsecrets:\n  pw:\n    environment: PW\n`;
    const { spec, errors } = loadCompose(text, { file: 'stack.yml', stackName: 'vault', env: { PW: PASSWORD } });
    assert.ok(spec, JSON.stringify(errors));
    await call('Control', m.address, admin(), 'DeployStack', { name: 'vault', specJson: JSON.stringify(spec), dryRun: false });
    assert.equal(m.store.service('vault_db')?.spec.secrets?.[0]?.dataBase64, Buffer.from(PASSWORD).toString('base64'), 'the manager holds the secret');
    const files = ['store.db', 'store.db-wal', 'store.db-shm'].map((f) => join(m.dir, f)).filter((f) => existsSync(f));
    const bytes = files.map((f) => readFileSync(f).toString('latin1')).join('');
    for (const needle of [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(m.identity.tokenSecret).toString('base64')]) {
      assert.ok(!bytes.includes(needle), `${needle.slice(0, 8)}… found in clear in ${files.join(', ')}`);
    }
    assert.equal(statSync(join(m.dir, STORE_KEY_FILE)).mode & 0o777, 0o600);
  });
});
