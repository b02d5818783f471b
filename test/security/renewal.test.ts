import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { pki } from '@cluster/manager';
import { CertificateRenewer, FakeExecutor, Session, Worker, joinCluster, type NodeCertificate, type NodeCredentials } from '@cluster/agent';
import { call, refusal, startTestManager, within, type TestManager } from './harness.js';

const TTL_MS = 3000;

describe('certificate renewal: a fresh certificate with the same node id, without dropping the session', { timeout: 60_000 }, () => {
  let m: TestManager;
  let creds: NodeCredentials;
  before(async () => {
    m = await startTestManager({ nodeCertTtlMs: TTL_MS });
    const { token } = await call('Control', m.address, m.admin, 'GetJoinToken', { role: 'worker' });
    creds = await joinCluster({ manager: m.address, token, name: 'renewing', hostname: 'renewing', advertise: '127.0.0.1', labels: {} });
  });
  after(async () => {
    await m?.stop();
  });

  const identity = (certPem: string) => {
    const id = pki.identityFromCertificate(certPem, m.identity.ca.certPem, new Date());
    if ('error' in id) throw new Error(id.error);
    return id;
  };

  test('RenewCertificate keeps the node id and role and refuses a replayed CSR', async () => {
    const { csrPem } = await pki.createKeyAndCsr('whatever');
    const peer = { caPem: creds.caPem, certPem: creds.certPem, keyPem: creds.keyPem };
    const r = await call('Dispatcher', m.address, peer, 'RenewCertificate', { csrPem });
    const before = identity(creds.certPem);
    const after = identity(r.certificatePem);
    assert.deepEqual([after.commonName, after.role], [creds.nodeId, 'worker']);
    assert.notEqual(after.serial, before.serial);
    await assert.rejects(call('Dispatcher', m.address, peer, 'RenewCertificate', { csrPem }), refusal(grpc.status.PERMISSION_DENIED, /^csr: a certificate was already issued for this public key/));
    await assert.rejects(call('Dispatcher', m.address, peer, 'RenewCertificate', { csrPem: 'nope' }), refusal(grpc.status.INVALID_ARGUMENT, /^csr: malformed PEM or DER$/));
  });

  test('the agent renews before expiry, keeps its session, and reconnects with the new certificate', async () => {
    const lines: string[] = [];
    const log = (s: string): void => { lines.push(s); };
    const states: boolean[] = [];
    const worker = new Worker({ executor: new FakeExecutor(), nodeId: creds.nodeId, onStatus: (b) => session.report(b) });
    await worker.start();
    const session: Session = new Session({
      manager: m.address,
      caPem: creds.caPem,
      certPem: creds.certPem,
      keyPem: creds.keyPem,
      worker,
      hello: () => ({ hostname: 'renewing', advertiseAddress: '127.0.0.1', engineVersion: 'fake', nanoCpus: 1e9, memoryBytes: 1e9 }),
      log,
      onState: (s) => states.push(s.connected),
    });
    const renewed: NodeCertificate[] = [];
    const files = { cert: join(m.dir, 'node.crt'), key: join(m.dir, 'node.key') };
    let firstRenewal: (c: NodeCertificate) => void = () => undefined;
    const renewedOnce = new Promise<NodeCertificate>((resolve) => { firstRenewal = resolve; });
    const renewer = new CertificateRenewer({
      manager: m.address,
      caPem: creds.caPem,
      current: { certPem: creds.certPem, keyPem: creds.keyPem },
      save: (c) => { writeFileSync(files.key, c.keyPem); writeFileSync(files.cert, c.certPem); },
      onRenewed: (c) => { renewed.push(c); session.useCertificate(c.certPem, c.keyPem); firstRenewal(c); },
      log,
      random: () => 0,
    });
    try {
      session.start();
      await within(waitFor(() => session.connected), 5000, 'session');
      const issued = identity(creds.certPem);
      renewer.start();
      const next = await within(renewedOnce, TTL_MS, 'renewal');
      // Renewed at half of the 3 s lifetime: before expiry, and the session never dropped.
      assert.ok(Date.now() < issued.notAfter.getTime(), 'renewed before the old certificate expired');
      assert.deepEqual(states, [true]);
      assert.ok(session.connected);
      const id = identity(next.certPem);
      assert.deepEqual([id.commonName, id.role], [creds.nodeId, 'worker']);
      assert.notEqual(id.serial, issued.serial);
      assert.equal(readFileSync(files.cert, 'utf8'), next.certPem);
      assert.equal(readFileSync(files.key, 'utf8'), next.keyPem);
      // Once the first certificate has expired, a new session must use a renewed one.
      await new Promise((r) => setTimeout(r, Math.max(0, issued.notAfter.getTime() + 1200 - Date.now())));
      m.manager.dispatcher.disconnect(creds.nodeId, 'session: closed by the test');
      await within(waitFor(() => states.length >= 3 && session.connected), 5000, 'reconnect with the renewed certificate');
      assert.deepEqual(states.slice(0, 3), [true, false, true]);
      assert.equal(m.store.node(creds.nodeId)?.status, 'ready');
      assert.ok(renewed.length >= 1);
      assert.ok(!lines.some((l) => /renewal: failed/.test(l)), lines.join('\n'));
    } finally {
      renewer.stop();
      session.stop();
      await worker.stop();
    }
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 25));
}
