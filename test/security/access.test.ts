import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadCompose } from '@cluster/core';
import { pki, writeAdmin } from '@cluster/manager';
import { joinCluster, type NodeCredentials } from '@cluster/agent';
import { run } from '@cluster/cli';
import { call, openSession, refusal, startTestManager, within, type Peer, type TestManager } from './harness.js';

const HOUR = 60 * 60 * 1000;

describe('access: only the right certificate reaches each RPC, and revocation ends access', { timeout: 90_000 }, () => {
  let m: TestManager;
  let other: TestManager;
  let home: string;
  const tokens: string[] = [];
  before(async () => {
    [m, other] = await Promise.all([startTestManager(), startTestManager()]);
    home = join(m.dir, 'home');
    writeAdmin(join(home, 'credentials'), m.admin);
    writeFileSync(join(home, 'config.json'), JSON.stringify({
      manager: m.address, caFile: join(home, 'credentials/ca.crt'), certFile: join(home, 'credentials/admin.crt'), keyFile: join(home, 'credentials/admin.key'),
    }));
  });
  after(async () => {
    await Promise.all([m?.stop(), other?.stop()]);
  });

  const admin = (): Peer => ({ caPem: m.admin.caPem, certPem: m.admin.certPem, keyPem: m.admin.keyPem });
  const node = (c: NodeCredentials): Peer => ({ caPem: c.caPem, certPem: c.certPem, keyPem: c.keyPem });
  const newNode = async (name: string): Promise<NodeCredentials> => {
    const { token } = await call('Control', m.address, admin(), 'GetJoinToken', { role: 'worker' });
    tokens.push(token);
    return joinCluster({ manager: m.address, token, name, hostname: name, advertise: '127.0.0.1', labels: {} });
  };
  const cli = async (args: string[], clusterHome = home) => {
    let out = '';
    let err = '';
    const code = await run(args, { out: (s) => { out += s; }, err: (s) => { err += s; }, env: { CLUSTER_HOME: clusterHome }, cwd: m.dir });
    return { code, out, err };
  };

  test('a call without a client certificate is refused', async () => {
    await assert.rejects(call('Control', m.address, { caPem: m.identity.ca.certPem }, 'ListNodes', {}),
      refusal(grpc.status.UNAUTHENTICATED, /^\/cluster\.v1\.Control\/ListNodes needs a certificate of this cluster/));
    await assert.rejects(call('Dispatcher', m.address, { caPem: m.identity.ca.certPem }, 'RenewCertificate', { csrPem: '' }),
      refusal(grpc.status.UNAUTHENTICATED, /needs a certificate of this cluster/));
  });

  test('a certificate from another CA is refused', async () => {
    const foreign: Peer = { caPem: m.identity.ca.certPem, certPem: other.admin.certPem, keyPem: other.admin.keyPem };
    await assert.rejects(call('Control', m.address, foreign, 'ListNodes', {}), refusal(grpc.status.UNAUTHENTICATED, /needs a certificate of this cluster/));
  });

  test('a node certificate may not call Control, an admin certificate may not open a session', async () => {
    const w = await newNode('worker-1');
    await assert.rejects(call('Control', m.address, node(w), 'ListNodes', {}),
      refusal(grpc.status.PERMISSION_DENIED, new RegExp(`^/cluster\\.v1\\.Control/ListNodes: a node certificate \\(worker ${w.nodeId}\\) may not call this method$`)));
    await assert.rejects(call('Control', m.address, node(w), 'CreateCredentials', { name: 'evil', csrPem: '' }), refusal(grpc.status.PERMISSION_DENIED, /may not call this method/));
    const s = openSession(m.address, admin());
    const end = await within(s.ended, 5000, 'admin session');
    s.close();
    assert.equal(end.code, grpc.status.PERMISSION_DENIED);
    assert.match(end.details, /Dispatcher\/Session: a admin certificate \(admin admin\) may not call this method/);
  });

  test('an expired node certificate is refused', async () => {
    const w = await newNode('worker-2');
    const { keyPem, csrPem } = await pki.createKeyAndCsr('x');
    const stale = await pki.issueCertificate(m.identity.ca, { csrPem, commonName: w.nodeId, role: 'worker', ttlMs: HOUR, now: new Date(Date.now() - 3 * HOUR) });
    const s = openSession(m.address, { caPem: w.caPem, certPem: stale.certPem, keyPem });
    const end = await within(s.ended, 5000, 'expired session');
    s.close();
    assert.equal(end.code, grpc.status.UNAUTHENTICATED);
    assert.match(end.details, /needs a certificate of this cluster \(none was presented, or it is expired or signed by another CA\)/);
  });

  test('a removed node loses its session and its certificate is refused from then on', async () => {
    const w = await newNode('worker-3');
    const s = openSession(m.address, node(w));
    assert.equal(await within(s.accepted, 5000, 'session'), w.nodeId);
    const removed = await call('Control', m.address, admin(), 'RemoveNode', { node: 'worker-3' });
    assert.equal(removed.node?.id, w.nodeId);
    const end = await within(s.ended, 5000, 'removed session');
    s.close();
    assert.equal(end.code, grpc.status.PERMISSION_DENIED);
    assert.match(end.details, /removed from the cluster; its certificate is revoked/);
    const again = openSession(m.address, node(w));
    const refused = await within(again.ended, 5000, 'reconnect');
    again.close();
    assert.equal(refused.code, grpc.status.UNAUTHENTICATED);
    assert.equal(refused.details, `node ${w.nodeId} was removed from the cluster; its certificate is revoked (join again with a new token)`);
    const { csrPem } = await pki.createKeyAndCsr('x');
    await assert.rejects(call('Dispatcher', m.address, node(w), 'RenewCertificate', { csrPem }), refusal(grpc.status.UNAUTHENTICATED, /was removed from the cluster/));
    const { nodes } = await call('Control', m.address, admin(), 'ListNodes', {});
    assert.ok(!nodes.some((n) => n.id === w.nodeId));
    await assert.rejects(call('Control', m.address, admin(), 'RemoveNode', { node: 'worker-3' }), refusal(grpc.status.NOT_FOUND, /^node: "worker-3" not found/));
  });

  test('a node reporting another node\'s task loses its session and changes nothing', async () => {
    const a = await newNode('owner');
    const b = await newNode('intruder');
    const sa = openSession(m.address, node(a));
    await within(sa.accepted, 5000, 'owner session');
    const { spec } = loadCompose('services:\n  web:\n    image: example/web\n', { file: 'stack.yml', stackName: 'shop' });
    await call('Control', m.address, admin(), 'DeployStack', { name: 'shop', specJson: JSON.stringify(spec), dryRun: false });
    const deadline = Date.now() + 5000;
    let task: { id: string; state: string } | undefined;
    while (!task && Date.now() < deadline) {
      const { tasks } = await call('Control', m.address, admin(), 'ListTasks', { filter: 'shop' });
      task = tasks.find((t) => t.nodeId === a.nodeId);
      if (!task) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(task, 'a task was placed on the owner');
    const sb = openSession(m.address, node(b));
    await within(sb.accepted, 5000, 'intruder session');
    sb.stream.write({ status: { statuses: [{ taskId: task.id, state: 'failed', containerId: 'x', error: 'forged', exitCode: 1, health: '', observedAtMs: Date.now() }] } });
    const end = await within(sb.ended, 5000, 'intruder session end');
    sb.close();
    sa.close();
    assert.equal(end.code, grpc.status.PERMISSION_DENIED);
    assert.equal(end.details, `session: node ${b.nodeId} reported task ${task.id} of another node`);
    assert.equal(m.store.task(task.id)?.error, '');
    assert.notEqual(m.store.task(task.id)?.state, 'failed');
  });

  test('cluster token: --ttl, --single-use, -q and rotate through the CLI', async () => {
    const q = await cli(['token', 'worker', '-q', '--single-use', '--ttl', '10m']);
    assert.equal(q.code, 0, q.err);
    const token = q.out.trim();
    tokens.push(token);
    assert.match(token, /^CLUSTER-1-[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sut?: boolean; exp: number; iat: number };
    assert.equal(claims.sut, true);
    assert.equal(claims.exp - claims.iat, 600);
    const r = await cli(['token', 'rotate', 'worker']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /every earlier worker token is refused/);
    await assert.rejects(joinCluster({ manager: m.address, token, name: 'late', hostname: 'h', advertise: '127.0.0.1', labels: {} }), /rotated away/);
    const bad = await cli(['token', 'worker', '--ttl', 'soon']);
    assert.equal(bad.code, 1);
    assert.equal(bad.err, 'cluster: token --ttl: invalid duration "soon" (for example 24h, 30m, 1h30m)\n');
  });

  test('credentials create gives a second operator a working CLUSTER_HOME; revoke ends it', async () => {
    const out = join(m.dir, 'ci-home');
    const created = await cli(['credentials', 'create', 'ci', '--out', out]);
    assert.equal(created.code, 0, created.err);
    assert.equal(statSync(join(out, 'admin.key')).mode & 0o777, 0o600);
    assert.equal(statSync(out).mode & 0o777, 0o700);
    const asCi = await cli(['nodes', '--format', 'json'], out);
    assert.equal(asCi.code, 0, asCi.err);
    assert.ok(Array.isArray(JSON.parse(asCi.out)));
    // The key was made on the operator's side: the manager never saw it.
    const key = readFileSync(join(out, 'admin.key'), 'utf8');
    assert.ok(!m.logs.some((l) => l.includes(key.split('\n')[1]!)));
    const revoked = await cli(['credentials', 'revoke', 'ci']);
    assert.equal(revoked.code, 0, revoked.err);
    assert.equal(revoked.out, 'revoked 1 certificate of ci\n');
    const refused = await cli(['nodes'], out);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /^cluster: the manager at 127\.0\.0\.1:\d+ refused: credentials of ci \(certificate [0-9a-f]+\) are revoked\n$/);
    const last = await cli(['credentials', 'revoke', 'admin']);
    assert.equal(last.code, 1);
    assert.match(last.err, /"admin" holds the last admin credentials; create others first/);
    const unknown = await cli(['credentials', 'revoke', 'nobody']);
    assert.match(unknown.err, /no valid credentials named "nobody" \(known: admin\)/);
    mkdirSync(join(m.dir, 'taken'), { recursive: true });
    writeFileSync(join(m.dir, 'taken', 'admin.key'), 'x');
    const again = await cli(['credentials', 'create', 'ops', '--out', join(m.dir, 'taken')]);
    assert.match(again.err, /already holds credentials/);
  });

  test('no token or private key appears in the manager log', () => {
    assert.ok(tokens.length > 3);
    const text = m.logs.join('\n');
    for (const t of tokens) assert.ok(!text.includes(t), 'a join token was logged');
    assert.ok(!text.includes('PRIVATE KEY'));
    assert.ok(!text.includes(Buffer.from(m.identity.tokenSecret).toString('base64')));
  });
});
