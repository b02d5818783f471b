import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { pki, writeAdmin } from '@cluster/manager';
import { run } from '@cluster/cli';
import { CertificateRenewer, FakeExecutor, Session, Worker, caUpdateHandler, joinCluster, type NodeCertificate, type NodeCredentials } from '@cluster/agent';
import { call, openSession, refusal, startTestManager, within, type Peer, type TestManager } from './harness.js';

interface CaStatus { rotating: boolean; caDigest: string; previousCaDigest: string; nodesRenewed: number; nodesTotal: number; nodesPending: string[] }

const signedBy = (certPem: string, caPem: string): boolean => !('error' in pki.identityFromCertificate(certPem, caPem, new Date()));

describe('CA rotation: a new CA, nodes renewed over their sessions, the old CA refused at the end', { timeout: 60_000 }, () => {
  let m: TestManager;
  let dir: string;
  let creds: NodeCredentials;
  let oldToken: string;
  let oldCa: string;
  before(async () => {
    m = await startTestManager();
    dir = mkdtempSync(join(tmpdir(), 'cluster-ca-rotation-'));
    oldCa = m.identity.ca.certPem;
    oldToken = (await call('Control', m.address, m.admin, 'GetJoinToken', { role: 'worker' })).token;
    creds = await joinCluster({ manager: m.address, token: oldToken, name: 'steady', hostname: 'steady', advertise: '127.0.0.1', labels: {} });
  });
  after(async () => {
    await m?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an existing node keeps its session, renews from the new CA; new tokens pin the new CA; the old CA is refused once every node renewed', async () => {
    const lines: string[] = [];
    const log = (s: string): void => { lines.push(s); };
    const states: boolean[] = [];
    const caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, creds.caPem);
    const worker = new Worker({ executor: new FakeExecutor(), nodeId: creds.nodeId, onStatus: (b) => session.report(b) });
    await worker.start();
    let renewedOnce: (c: NodeCertificate) => void = () => undefined;
    const renewed = new Promise<NodeCertificate>((resolve) => { renewedOnce = resolve; });
    const session: Session = new Session({
      manager: m.address,
      caPem: creds.caPem,
      certPem: creds.certPem,
      keyPem: creds.keyPem,
      worker,
      hello: () => ({ hostname: 'steady', advertiseAddress: '127.0.0.1', engineVersion: 'fake', nanoCpus: 1e9, memoryBytes: 1e9 }),
      log,
      onState: (s) => states.push(s.connected),
      onCaUpdate: (u) => caUpdateHandler({ caFile, session, renewer, log })(u),
    });
    const renewer = new CertificateRenewer({
      manager: m.address,
      caPem: creds.caPem,
      current: { certPem: creds.certPem, keyPem: creds.keyPem },
      save: () => undefined,
      onRenewed: (c) => { session.useCertificate(c.certPem, c.keyPem); renewedOnce(c); },
      log,
    });
    try {
      session.start();
      renewer.start();
      await within(waitFor(() => session.connected), 5000, 'session');

      const admin = await pki.createKeyAndCsr('admin');
      const r = await call('Control', m.address, m.admin, 'RotateCa', { csrPem: admin.csrPem });
      const newCa = r.caPem;
      assert.notEqual(pki.caDigest(newCa), pki.caDigest(oldCa));
      assert.equal(r.status?.caDigest, pki.caDigest(newCa));
      assert.equal(r.status?.nodesTotal, 1);
      assert.ok(signedBy(r.certificatePem, newCa) && !signedBy(r.certificatePem, oldCa), 'the admin certificate comes from the new CA');
      assert.ok(readFileSync(join(m.dir, 'ca', 'ca.crt'), 'utf8') === newCa);
      const newAdmin: Peer = { caPem: newCa, certPem: r.certificatePem, keyPem: admin.keyPem };

      // The node renews at once over a new connection; its session stays open.
      const next = await within(renewed, 10_000, 'renewal after rotation');
      assert.ok(signedBy(next.certPem, newCa), 'the renewed node certificate comes from the new CA');
      assert.ok(!signedBy(next.certPem, oldCa));
      const id = pki.identityFromCertificate(next.certPem, newCa, new Date());
      assert.ok(!('error' in id) && id.commonName === creds.nodeId && id.role === 'worker');
      assert.deepEqual(states, [true]);
      assert.ok(session.connected);

      // Every node renewed: the rotation finishes by itself and the node trusts only the new CA.
      await within(waitFor(() => !m.identity.previousCaPem), 5000, 'rotation finished');
      const status = (await call('Control', m.address, newAdmin, 'GetCaStatus', {})).status;
      assert.deepEqual([status?.rotating, status?.nodesRenewed, status?.nodesTotal, status?.previousCaDigest], [false, 1, 1, '']);
      await within(waitFor(() => readFileSync(caFile, 'utf8').trim() === newCa.trim()), 5000, 'node ca.crt holds the new CA only');

      // A new connection uses the renewed certificate and the new CA.
      m.manager.dispatcher.disconnect(creds.nodeId, 'session: closed by the test');
      await within(waitFor(() => states.length >= 3 && session.connected), 5000, 'reconnect after rotation');
      assert.deepEqual(states.slice(0, 3), [true, false, true]);

      // Tokens: a new one pins the new CA and joins; an old one is refused, by the agent and by the manager.
      const { token } = await call('Control', m.address, newAdmin, 'GetJoinToken', { role: 'worker' });
      assert.equal(pki.caDigestFromToken(token), pki.caDigest(newCa));
      const joined = await joinCluster({ manager: m.address, token, name: 'newcomer', hostname: 'newcomer', advertise: '127.0.0.1', labels: {} });
      assert.ok(signedBy(joined.certPem, newCa));
      assert.equal(joined.caPem.trim(), newCa.trim());
      await assert.rejects(
        joinCluster({ manager: m.address, token: oldToken, name: 'late', hostname: 'late', advertise: '127.0.0.1', labels: {} }),
        /join: the manager at .* presents CA sha256:[0-9a-f]+, but the token pins sha256:[0-9a-f]+; refusing to join \(the cluster CA was rotated/,
      );
      const { csrPem } = await pki.createKeyAndCsr('late');
      await assert.rejects(
        call('Dispatcher', m.address, { caPem: newCa }, 'Join', { token: oldToken, csrPem, name: 'late', hostname: 'late', advertiseAddress: '127.0.0.1', labels: {} }),
        refusal(grpc.status.UNAUTHENTICATED, /^join token: made for a previous CA of this cluster \(the CA was rotated\); ask for a new one with: cluster token worker$/),
      );

      // The old CA is refused: the node's first certificate, and the first admin certificate.
      const old = { caPem: newCa, certPem: creds.certPem, keyPem: creds.keyPem };
      const { csrPem: again } = await pki.createKeyAndCsr('x');
      await assert.rejects(call('Dispatcher', m.address, old, 'RenewCertificate', { csrPem: again }), refusal(grpc.status.UNAUTHENTICATED, /needs a certificate of this cluster \(none was presented, or it is expired or signed by another CA\)/));
      await assert.rejects(call('Control', m.address, { ...m.admin, caPem: newCa }, 'ListNodes', {}), refusal(grpc.status.UNAUTHENTICATED, /needs a certificate of this cluster \(none was presented, or it is expired or signed by another CA\)/));
      // The rotated admin credential works.
      const nodes = await call('Control', m.address, newAdmin, 'ListNodes', {});
      assert.deepEqual(nodes.nodes.map((n) => n.name).sort(), ['newcomer', 'steady']);
      assert.ok(!lines.some((l) => /renewal: failed|ca update: ignored/.test(l)), lines.join('\n'));
    } finally {
      renewer.stop();
      session.stop();
      await worker.stop();
    }
  });
});

describe('CA rotation: both CAs are trusted until cluster ca rotate --finish', { timeout: 60_000 }, () => {
  let m: TestManager;
  before(async () => {
    m = await startTestManager();
  });
  after(async () => {
    await m?.stop();
  });

  test('a node that has not renewed keeps working until --finish; then its certificate is refused', async () => {
    const { token } = await call('Control', m.address, m.admin, 'GetJoinToken', { role: 'worker' });
    const idle = await joinCluster({ manager: m.address, token, name: 'idle', hostname: 'idle', advertise: '127.0.0.1', labels: {} });
    const admin = await pki.createKeyAndCsr('admin');
    const r = await call('Control', m.address, m.admin, 'RotateCa', { csrPem: admin.csrPem });
    assert.deepEqual([r.status?.rotating, r.status?.nodesRenewed, r.status?.nodesTotal, r.status?.nodesPending], [true, 0, 1, ['idle']]);
    const newCa = r.caPem;
    const newAdmin: Peer = { caPem: newCa, certPem: r.certificatePem, keyPem: admin.keyPem };
    const oldAdmin: Peer = { ...m.admin, caPem: newCa };
    const oldNode: Peer = { caPem: newCa, certPem: idle.certPem, keyPem: idle.keyPem };
    // During the rotation, certificates of both CAs are accepted.
    await call('Control', m.address, oldAdmin, 'ListNodes', {});
    const probe = openSession(m.address, oldNode);
    try {
      assert.equal(await within(probe.accepted, 5000, 'session with a certificate of the old CA'), idle.nodeId);
    } finally {
      probe.close();
    }
    const { csrPem: again } = await pki.createKeyAndCsr('admin');
    await assert.rejects(call('Control', m.address, newAdmin, 'RotateCa', { csrPem: again }), refusal(grpc.status.FAILED_PRECONDITION, /^ca: a rotation is in progress \(0 of 1 nodes renewed\); end it first with: cluster ca rotate --finish$/));
    const finished = await call('Control', m.address, newAdmin, 'RotateCa', { finish: true });
    assert.deepEqual([finished.status?.rotating, finished.status?.nodesRenewed, finished.status?.nodesTotal], [false, 0, 1]);
    // From now on the old CA is refused, for nodes and admins alike.
    const { csrPem } = await pki.createKeyAndCsr('idle');
    await assert.rejects(call('Dispatcher', m.address, oldNode, 'RenewCertificate', { csrPem }), refusal(grpc.status.UNAUTHENTICATED, /needs a certificate of this cluster \(none was presented, or it is expired or signed by another CA\)/));
    await assert.rejects(call('Control', m.address, oldAdmin, 'ListNodes', {}), refusal(grpc.status.UNAUTHENTICATED, /needs a certificate of this cluster \(none was presented, or it is expired or signed by another CA\)/));
    await call('Control', m.address, newAdmin, 'ListNodes', {});
    await assert.rejects(call('Control', m.address, newAdmin, 'RotateCa', { finish: true }), refusal(grpc.status.FAILED_PRECONDITION, /^ca: no rotation is in progress$/));
  });
});

describe('cluster ca rotate: the CLI re-issues its own credentials from the new CA', { timeout: 60_000 }, () => {
  let m: TestManager;
  let home: string;
  before(async () => {
    m = await startTestManager();
    home = join(m.dir, 'home');
    writeAdmin(join(home, 'credentials'), m.admin);
    writeFileSync(join(home, 'config.json'), JSON.stringify({
      manager: m.address, caFile: join(home, 'credentials/ca.crt'), certFile: join(home, 'credentials/admin.crt'), keyFile: join(home, 'credentials/admin.key'),
    }));
  });
  after(async () => {
    await m?.stop();
  });

  const cli = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await run(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, env: { CLUSTER_HOME: home }, cwd: m.dir });
    return { code, out, err };
  };

  test('rotate, status, finish; the old admin certificate is refused after finish', async () => {
    // A node that does not renew keeps the rotation open until --finish.
    const { token } = await call('Control', m.address, m.admin, 'GetJoinToken', { role: 'worker' });
    await joinCluster({ manager: m.address, token, name: 'quiet', hostname: 'quiet', advertise: '127.0.0.1', labels: {} });
    const rotated = await cli(['ca', 'rotate']);
    assert.equal(rotated.code, 0, rotated.err);
    const newCa = m.identity.ca.certPem;
    assert.match(rotated.out, /^rotated the cluster CA: the new CA is sha256:[0-9a-f]{64}; your credentials in .* were re-issued by it\n/);
    assert.match(rotated.out, /0 of 1 nodes renewed/);
    assert.match(rotated.out, /other operators need new credentials: cluster credentials create NAME/);
    assert.equal(readFileSync(join(home, 'credentials/ca.crt'), 'utf8'), newCa);
    const cert = readFileSync(join(home, 'credentials/admin.crt'), 'utf8');
    assert.ok(signedBy(cert, newCa) && !signedBy(cert, m.admin.caPem));
    const status = await cli(['ca', 'status', '--format', 'json']);
    assert.equal(status.code, 0, status.err);
    const s = JSON.parse(status.out) as CaStatus;
    assert.deepEqual([s.rotating, s.nodesRenewed, s.nodesTotal, s.nodesPending], [true, 0, 1, ['quiet']]);
    assert.match((await cli(['ca', 'status'])).out, /rotation in progress since .*: 0 of 1 nodes renewed.*\nwaiting for: quiet/);
    // The first admin certificate still works during the rotation (given the new CA to trust), not after.
    const oldAdmin: Peer = { ...m.admin, caPem: newCa };
    await call('Control', m.address, oldAdmin, 'ListNodes', {});
    const finished = await cli(['ca', 'rotate', '--finish']);
    assert.equal(finished.code, 0, finished.err);
    assert.match(finished.out, /^finished the CA rotation: certificates of the previous CA are refused from now on\n/);
    assert.equal((await cli(['nodes'])).code, 0);
    await assert.rejects(call('Control', m.address, oldAdmin, 'ListNodes', {}), refusal(grpc.status.UNAUTHENTICATED, /needs a certificate of this cluster/));
    const again = await cli(['ca', 'rotate', '--finish']);
    assert.equal(again.code, 1);
    assert.match(again.err, /ca: no rotation is in progress/);
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 25));
}
