import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { pki } from '@cluster/manager';
import { joinCluster } from '@cluster/agent';
import { call, refusal, startTestManager, type TestManager } from './harness.js';

const HOUR = 60 * 60 * 1000;

describe('joining: every bad token or request is refused with a clear error', { timeout: 60_000 }, () => {
  let m: TestManager;
  let other: TestManager;
  let n = 0;
  before(async () => {
    [m, other] = await Promise.all([startTestManager(), startTestManager()]);
  });
  after(async () => {
    await Promise.all([m?.stop(), other?.stop()]);
  });

  const admin = () => ({ caPem: m.admin.caPem, certPem: m.admin.certPem, keyPem: m.admin.keyPem });
  const getToken = async (role = 'worker', extra: object = {}): Promise<string> =>
    (await call('Control', m.address, admin(), 'GetJoinToken', { role, ...extra })).token;
  // join sends a Join over TLS pinned to the cluster CA, as an agent does after pinning.
  const join = async (token: string, csrPem?: string) => {
    const csr = csrPem ?? (await pki.createKeyAndCsr('x')).csrPem;
    return call('Dispatcher', m.address, { caPem: m.identity.ca.certPem }, 'Join', {
      token, csrPem: csr, name: `node-${++n}`, hostname: 'h', advertiseAddress: '127.0.0.1', labels: {},
    });
  };
  const claims = (role: 'worker' | 'manager' = 'worker') => ({
    clusterId: m.identity.clusterId, role, caDigest: pki.caDigest(m.identity.ca.certPem), jti: randomBytes(8).toString('hex'), gen: 0,
  });

  test('a valid token joins and yields a node certificate with the node id and role', async () => {
    const r = await join(await getToken('worker'));
    assert.equal(r.role, 'worker');
    const id = pki.identityFromCertificate(r.certificatePem, m.identity.ca.certPem, new Date());
    assert.ok(!('error' in id));
    assert.deepEqual([id.commonName, id.role], [r.nodeId, 'worker']);
  });

  test('a forged token (bad signature) is refused', async () => {
    const forged = await pki.signJoinToken(randomBytes(32), claims(), { ttlMs: HOUR, now: new Date() });
    await assert.rejects(join(forged), refusal(grpc.status.UNAUTHENTICATED, /^join token: bad signature$/));
  });

  test('an expired token is refused with its expiry', async () => {
    const old = await pki.signJoinToken(m.identity.tokenSecret, claims(), { ttlMs: HOUR, now: new Date(Date.now() - 2 * HOUR) });
    await assert.rejects(join(old), refusal(grpc.status.UNAUTHENTICATED, /^join token: expired at \d{4}-/));
  });

  test('a token of another cluster is refused as such', async () => {
    const theirs = (await call('Control', other.address, other.admin, 'GetJoinToken', { role: 'worker' })).token;
    await assert.rejects(join(theirs), refusal(grpc.status.UNAUTHENTICATED, /^join token: belongs to another cluster \("[0-9a-f]+", this is "[0-9a-f]+"\)$/));
  });

  test('rotating makes every earlier token of that role invalid, and only that role', async () => {
    const worker = await getToken('worker');
    const manager = await getToken('manager');
    await call('Control', m.address, admin(), 'RotateJoinToken', { role: 'worker' });
    await assert.rejects(join(worker), refusal(grpc.status.UNAUTHENTICATED, /^join token: this worker token was rotated away; ask for a new one with: cluster token worker$/));
    assert.equal((await join(manager)).role, 'manager');
    assert.equal((await join(await getToken('worker'))).role, 'worker');
  });

  test('a single-use token is refused the second time', async () => {
    const once = await getToken('worker', { singleUse: true });
    await join(once);
    await assert.rejects(join(once), refusal(grpc.status.UNAUTHENTICATED, /^join token: this single-use token was already used/));
  });

  test('a token with a bad ttl is not issued', async () => {
    await assert.rejects(getToken('worker', { ttlMs: 90 * 24 * HOUR }), refusal(grpc.status.INVALID_ARGUMENT, /^token: invalid ttl/));
    await assert.rejects(getToken('admin'), refusal(grpc.status.INVALID_ARGUMENT, /^token: unknown role "admin"/));
  });

  test('a short-lived token expires on time', async () => {
    const short = await getToken('worker', { ttlMs: 1000 });
    await new Promise((r) => setTimeout(r, 2100));
    await assert.rejects(join(short), refusal(grpc.status.UNAUTHENTICATED, /^join token: expired at/));
  });

  test('a replayed CSR is refused: with the spent single-use token, and with a fresh token', async () => {
    const { csrPem } = await pki.createKeyAndCsr('x');
    const once = await getToken('worker', { singleUse: true });
    await join(once, csrPem);
    await assert.rejects(join(once, csrPem), refusal(grpc.status.UNAUTHENTICATED, /single-use token was already used/));
    await assert.rejects(join(await getToken('worker'), csrPem), refusal(grpc.status.PERMISSION_DENIED, /^csr: a certificate was already issued for this public key/));
  });

  test('single-use tokens stay spent across a manager restart (kept in the store)', async () => {
    const once = await getToken('worker', { singleUse: true });
    await join(once);
    const ledger = new (await import('@cluster/manager')).SecurityLedger(m.store);
    const jti = JSON.parse(Buffer.from(once.slice('CLUSTER-1-'.length).split('.')[1]!, 'base64url').toString()).jti as string;
    assert.throws(() => ledger.claim({ jti, keyDigest: 'sha256:none' }), /already used/);
  });

  test('an agent refuses to join a manager whose CA digest does not match the token', async () => {
    const token = await getToken('worker');
    await assert.rejects(
      joinCluster({ manager: other.address, token, name: 'lost', hostname: 'h', advertise: '127.0.0.1', labels: {} }),
      (err: Error) => /^join: the manager at 127\.0\.0\.1:\d+ presents CA sha256:[0-9a-f]{64}, but the token pins sha256:[0-9a-f]{64}; refusing to join/.test(err.message),
    );
    // Nothing was sent: the other cluster has no node named "lost".
    assert.equal(other.store.allNodes().length, 0);
  });

  test('an agent joins a manager whose CA matches the token', async () => {
    const creds = await joinCluster({ manager: m.address, token: await getToken('worker'), name: 'agent-1', hostname: 'h', advertise: '127.0.0.1', labels: {} });
    assert.equal(creds.caPem.trim(), m.identity.ca.certPem.trim());
    assert.ok(m.store.node(creds.nodeId));
  });
});
