import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterError } from '@cluster/core';
import { SqliteStore } from './sqliteStore.js';
import type { Store } from './store.js';
import { RECORD_TTL_MS, SecurityLedger } from './ledger.js';
import { MAX_TOKEN_TTL_MS } from './control-security.js';

function withStore(fn: (open: () => Store) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  const stores: Store[] = [];
  try {
    fn(() => {
      const s = SqliteStore.open(join(dir, 'store.db'));
      stores.push(s);
      return s;
    });
  } finally {
    for (const s of stores) s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const code = (c: string) => (err: unknown) => err instanceof ClusterError && err.code === c;

test('a claimed key or single-use token is refused until released, and for good once committed', () => {
  withStore((open) => {
    const ledger = new SecurityLedger(open());
    const a = { jti: 't1', keyDigest: 'sha256:a' };
    ledger.claim(a);
    assert.throws(() => ledger.claim({ jti: 't1', keyDigest: 'sha256:b' }), code('unauthenticated'));
    assert.throws(() => ledger.claim({ keyDigest: 'sha256:a' }), code('permission_denied'));
    ledger.release(a);
    ledger.claim(a);
    ledger.commit(a, 'node n1', 1);
    assert.throws(() => ledger.claim({ jti: 't1', keyDigest: 'sha256:c' }), code('unauthenticated'));
    assert.throws(() => ledger.claim({ keyDigest: 'sha256:a' }), code('permission_denied'));
    ledger.claim({ keyDigest: 'sha256:d' });
  });
});

test('rotation, revocations and admin serials survive a reopened store', () => {
  withStore((open) => {
    const first = open();
    const ledger = new SecurityLedger(first);
    assert.equal(ledger.tokenGen('worker'), 0);
    assert.equal(ledger.rotateTokens('worker'), 1);
    ledger.revokeNode('n1');
    ledger.recordAdmin('01', 'admin');
    ledger.recordAdmin('02', 'ci');
    ledger.recordAdmin('03', 'ci');
    assert.deepEqual(ledger.adminNames(), ['admin', 'ci']);
    assert.equal(ledger.revokeAdmin('ci'), 2);
    assert.equal(ledger.revokeAdmin('ci'), 0);
    first.close();
    const again = new SecurityLedger(open());
    assert.equal(again.tokenGen('worker'), 1);
    assert.equal(again.tokenGen('manager'), 0);
    assert.equal(again.isNodeRevoked('n1'), true);
    assert.equal(again.isNodeRevoked('n2'), false);
    assert.deepEqual([again.isSerialRevoked('02'), again.isSerialRevoked('03'), again.isSerialRevoked('01')], [true, true, false]);
    assert.deepEqual(again.adminNames(), ['admin']);
  });
});

test('spent-token and issued-key records expire after RECORD_TTL_MS, and only then', () => {
  withStore((open) => {
    const store = open();
    const ledger = new SecurityLedger(store);
    const t0 = 1_800_000_000_000;
    const old = { jti: 'old', keyDigest: 'sha256:old' };
    const recent = { jti: 'recent', keyDigest: 'sha256:recent' };
    ledger.claim(old);
    ledger.commit(old, 'n1', t0);
    ledger.claim(recent);
    ledger.commit(recent, 'n2', t0 + RECORD_TTL_MS - 1000);
    assert.equal(ledger.pruneRecords(t0 + RECORD_TTL_MS), 0, 'nothing is forgotten before its time');
    assert.throws(() => ledger.claim(old), code('unauthenticated'));
    assert.equal(ledger.pruneRecords(t0 + RECORD_TTL_MS + 1), 2, 'the old token and key records go');
    assert.deepEqual(store.metaWithPrefix('token.used.').map(([k]) => k), ['token.used.recent']);
    assert.deepEqual(store.metaWithPrefix('key.issued.').map(([k]) => k), ['key.issued.sha256:recent']);
    assert.throws(() => ledger.claim(recent), code('unauthenticated'));
    // A token lives at most 30 days: by now the old one is refused as expired, whatever the ledger says.
    assert.ok(RECORD_TTL_MS > MAX_TOKEN_TTL_MS);
  });
});
