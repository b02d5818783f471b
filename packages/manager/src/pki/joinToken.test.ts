import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { ClusterError } from '@cluster/core';
import { caDigestFromToken, signJoinToken, verifyJoinToken, type JoinClaims } from './joinToken.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const HOUR = 60 * 60 * 1000;
const SECRET = randomBytes(32);
const CAD = `sha256:${'ab'.repeat(32)}`;
const CLAIMS: Omit<JoinClaims, 'exp'> = { clusterId: 'c-one', role: 'worker', caDigest: CAD, jti: 'tok-1', gen: 3 };

function isError(code: string, message: string | RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof ClusterError, `not a ClusterError: ${String(err)}`);
    assert.equal(err.code, code);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  };
}

test('a join token round-trips its claims', async () => {
  const token = await signJoinToken(SECRET, CLAIMS, { ttlMs: HOUR, now: NOW });
  assert.ok(token.startsWith('CLUSTER-1-'));
  assert.equal(token.split('.').length, 3);
  const claims = await verifyJoinToken(SECRET, token, { clusterId: 'c-one', now: new Date(NOW.getTime() + 1000) });
  assert.deepEqual(claims, { ...CLAIMS, exp: NOW.getTime() / 1000 + 3600 });
});

test('surrounding whitespace from a copy-paste is tolerated', async () => {
  const token = await signJoinToken(SECRET, { ...CLAIMS, role: 'manager' }, { ttlMs: HOUR, now: NOW });
  const claims = await verifyJoinToken(SECRET, ` ${token}\n`, { clusterId: 'c-one', now: NOW });
  assert.equal(claims.role, 'manager');
});

test('a token signed with another secret has a bad signature', async () => {
  const forged = await signJoinToken(randomBytes(32), CLAIMS, { ttlMs: HOUR, now: NOW });
  await assert.rejects(
    verifyJoinToken(SECRET, forged, { clusterId: 'c-one', now: NOW }),
    isError('unauthenticated', 'join token: bad signature'),
  );
});

test('a token with a tampered claim has a bad signature', async () => {
  const token = await signJoinToken(SECRET, CLAIMS, { ttlMs: HOUR, now: NOW });
  const [header, payload, signature] = token.slice('CLUSTER-1-'.length).split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
  const tampered = Buffer.from(JSON.stringify({ ...claims, role: 'manager' })).toString('base64url');
  await assert.rejects(
    verifyJoinToken(SECRET, `CLUSTER-1-${header}.${tampered}.${signature}`, { clusterId: 'c-one', now: NOW }),
    isError('unauthenticated', 'join token: bad signature'),
  );
});

test('an expired token is refused with its expiry', async () => {
  const token = await signJoinToken(SECRET, CLAIMS, { ttlMs: HOUR, now: NOW });
  await assert.rejects(
    verifyJoinToken(SECRET, token, { clusterId: 'c-one', now: new Date(NOW.getTime() + 2 * HOUR) }),
    isError('unauthenticated', 'join token: expired at 2026-03-01T13:00:00.000Z'),
  );
});

test('a token of another cluster is refused as such', async () => {
  const token = await signJoinToken(randomBytes(32), { ...CLAIMS, clusterId: 'c-two' }, { ttlMs: HOUR, now: NOW });
  await assert.rejects(
    verifyJoinToken(SECRET, token, { clusterId: 'c-one', now: NOW }),
    isError('unauthenticated', 'join token: belongs to another cluster ("c-two", this is "c-one")'),
  );
});

test('malformed tokens are refused', async () => {
  const good = await signJoinToken(SECRET, CLAIMS, { ttlMs: HOUR, now: NOW });
  const cases: Array<[string, string]> = [
    ['', 'join token: malformed (does not start with "CLUSTER-1-")'],
    [good.slice('CLUSTER-1-'.length), 'join token: malformed (does not start with "CLUSTER-1-")'],
    ['SWMTKN-1-abc', 'join token: malformed (does not start with "CLUSTER-1-")'],
    ['CLUSTER-1-', 'join token: malformed (not a JWT)'],
    ['CLUSTER-1-not.a.jwt', 'join token: malformed (not a JWT)'],
  ];
  for (const [token, message] of cases) {
    await assert.rejects(verifyJoinToken(SECRET, token, { clusterId: 'c-one', now: NOW }), isError('unauthenticated', message));
    assert.throws(() => caDigestFromToken(token), isError('invalid_argument', message));
  }
});

test('a token missing a claim is malformed', async () => {
  const jwt = await new SignJWT({ cid: 'c-one', role: 'worker', gen: 1 })
    .setProtectedHeader({ alg: 'HS256' })
    .setJti('x')
    .setExpirationTime(NOW.getTime() / 1000 + 60)
    .sign(SECRET);
  const message = 'join token: malformed (claim "cad" missing or invalid)';
  await assert.rejects(verifyJoinToken(SECRET, `CLUSTER-1-${jwt}`, { clusterId: 'c-one', now: NOW }), isError('unauthenticated', message));
  assert.throws(() => caDigestFromToken(`CLUSTER-1-${jwt}`), isError('invalid_argument', message));
});

test('a token signed with another algorithm is refused', async () => {
  const jwt = await new SignJWT({ cid: 'c-one', role: 'worker', cad: CAD, gen: 1 })
    .setProtectedHeader({ alg: 'HS512' })
    .setJti('x')
    .setExpirationTime(NOW.getTime() / 1000 + 60)
    .sign(randomBytes(64));
  await assert.rejects(
    verifyJoinToken(SECRET, `CLUSTER-1-${jwt}`, { clusterId: 'c-one', now: NOW }),
    isError('unauthenticated', /^join token: malformed \(.*alg.*\)$/),
  );
});

test('caDigestFromToken reads the CA digest without the secret', async () => {
  const token = await signJoinToken(SECRET, CLAIMS, { ttlMs: HOUR, now: NOW });
  assert.equal(caDigestFromToken(token), CAD);
});

test('a secret shorter than 32 bytes is refused', async () => {
  await assert.rejects(
    signJoinToken(randomBytes(16), CLAIMS, { ttlMs: HOUR, now: NOW }),
    isError('invalid_argument', 'join token: secret has 16 bytes (>= 32)'),
  );
});

test('a single-use token carries the sut claim; others do not', async () => {
  const once = await signJoinToken(SECRET, { ...CLAIMS, singleUse: true }, { ttlMs: HOUR, now: NOW });
  assert.equal((await verifyJoinToken(SECRET, once, { clusterId: 'c-one', now: NOW })).singleUse, true);
  const many = await signJoinToken(SECRET, CLAIMS, { ttlMs: HOUR, now: NOW });
  assert.equal('singleUse' in (await verifyJoinToken(SECRET, many, { clusterId: 'c-one', now: NOW })), false);
});

test('the node labels a token allows round-trip in its claim "lbl"; a mistyped one is malformed', async () => {
  const token = await signJoinToken(SECRET, { ...CLAIMS, labels: { zone: 'eu', disk: 'ssd' } }, { ttlMs: HOUR, now: NOW });
  const claims = await verifyJoinToken(SECRET, token, { clusterId: 'c-one', now: NOW });
  assert.deepEqual(claims.labels, { zone: 'eu', disk: 'ssd' });
  const none = await verifyJoinToken(SECRET, await signJoinToken(SECRET, { ...CLAIMS, labels: {} }, { ttlMs: HOUR, now: NOW }), { clusterId: 'c-one', now: NOW });
  assert.equal(none.labels, undefined);
  const bad = await new SignJWT({ cid: 'c-one', role: 'worker', cad: CAD, gen: 3, lbl: { zone: 1 } })
    .setProtectedHeader({ alg: 'HS256' }).setJti('x').setIssuedAt(NOW.getTime() / 1000).setExpirationTime(NOW.getTime() / 1000 + 3600).sign(SECRET);
  await assert.rejects(verifyJoinToken(SECRET, `CLUSTER-1-${bad}`, { clusterId: 'c-one', now: NOW }), isError('unauthenticated', /claim "lbl" missing or invalid/));
});
