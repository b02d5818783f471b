import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '@cluster/core';
import { SqliteStore } from './sqliteStore.js';
import { STORE_KEY_FILE, loadOrCreateStoreKey } from './storeSeal.js';

const root = mkdtempSync(join(tmpdir(), 'store-seal-'));
after(() => rmSync(root, { recursive: true, force: true }));

const SECRET = Buffer.from('the-password-is-swordfish-1234').toString('base64');
const TOKEN_SECRET = Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');

function service(): Service {
  return {
    name: 's_db', stack: 's', specVersion: 1, createdAt: 0, updatedAt: 0,
    spec: {
      name: 'db', image: 'postgres', env: {}, labels: {}, ports: [], mode: 'replicated', replicas: 1,
      restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000,
      secrets: [{ name: 'pw', target: '/run/secrets/pw', dataBase64: SECRET, mode: 0o444 }],
    },
  };
}

/** onDisk is every byte SQLite keeps of a store: the database, its WAL and shared memory. */
function onDisk(path: string): string {
  return ['', '-wal', '-shm'].map((x) => (existsSync(path + x) ? readFileSync(path + x).toString('latin1') : '')).join('');
}

test('service specs (their secrets) and the token secret are not in clear in the SQLite files; they read back with the key', () => {
  const dir = mkdtempSync(join(root, 'new-'));
  const path = join(dir, 'store.db');
  const key = loadOrCreateStoreKey(dir);
  assert.equal(statSync(join(dir, STORE_KEY_FILE)).mode & 0o777, 0o600, 'the key file is owner-only');
  const store = SqliteStore.open(path, { sealKey: key });
  store.update({ putServices: [service()] });
  store.setMeta('token.secret', TOKEN_SECRET);
  assert.ok(!onDisk(path).includes(SECRET), 'secret in clear in the open store');
  assert.ok(!onDisk(path).includes(TOKEN_SECRET), 'token secret in clear in the open store');
  store.close();
  assert.ok(!onDisk(path).includes(SECRET));
  assert.ok(!onDisk(path).includes(TOKEN_SECRET));

  const again = SqliteStore.open(path, { sealKey: loadOrCreateStoreKey(dir) });
  assert.deepEqual(again.service('s_db'), service());
  assert.equal(again.getMeta('token.secret'), TOKEN_SECRET);
  again.close();
  assert.throws(() => SqliteStore.open(path), /store: record services\/s_db is sealed and no store key was given/);
  assert.throws(() => SqliteStore.open(path, { sealKey: Buffer.alloc(32, 7) }), /does not open with this store key/);
});

test('a store written in clear by an older version is sealed when it opens with a key, and keeps its records', () => {
  const dir = mkdtempSync(join(root, 'old-'));
  const path = join(dir, 'store.db');
  const old = SqliteStore.open(path);
  old.update({ putServices: [service()] });
  old.setMeta('token.secret', TOKEN_SECRET);
  old.setMeta('cluster.id', 'c1');
  old.close();
  assert.ok(onDisk(path).includes(SECRET), 'the older store did keep the secret in clear');

  const store = SqliteStore.open(path, { sealKey: loadOrCreateStoreKey(dir) });
  assert.ok(!onDisk(path).includes(SECRET), 'the secret was sealed in place, no clear copy left in the files');
  assert.ok(!onDisk(path).includes(TOKEN_SECRET));
  assert.deepEqual(store.service('s_db'), service());
  assert.equal(store.getMeta('token.secret'), TOKEN_SECRET);
  assert.equal(store.getMeta('cluster.id'), 'c1', 'other metadata stays as it was');
  store.close();
  assert.ok(!onDisk(path).includes(SECRET));
});

test('metadata under sealed/ (secrets and configs made in the cluster) is sealed on disk and reads back by key and by prefix', () => {
  const dir = mkdtempSync(join(root, 'meta-'));
  const path = join(dir, 'store.db');
  const key = loadOrCreateStoreKey(dir);
  const store = SqliteStore.open(path, { sealKey: key });
  store.setMeta('sealed/secret/db_pw', JSON.stringify({ dataBase64: SECRET }));
  assert.ok(!onDisk(path).includes(SECRET), 'the secret is in clear on disk');
  assert.equal(store.getMeta('sealed/secret/db_pw'), JSON.stringify({ dataBase64: SECRET }));
  assert.deepEqual(store.metaWithPrefix('sealed/secret/'), [['sealed/secret/db_pw', JSON.stringify({ dataBase64: SECRET })]]);
  store.close();
});
