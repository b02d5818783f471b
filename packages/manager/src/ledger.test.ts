import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterError } from '@cluster/core';
import { Store } from './store.js';
import { SecurityLedger } from './ledger.js';

function withStore(fn: (open: () => Store) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  const stores: Store[] = [];
  try {
    fn(() => {
      const s = Store.open(join(dir, 'store.db'));
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
