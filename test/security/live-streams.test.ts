import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { pki } from '@cluster/manager';
import { certificateNotAfter, joinCluster, type NodeCredentials } from '@cluster/agent';
import { call, openSession, startTestManager, within, type Peer, type SessionProbe, type TestManager } from './harness.js';

/** beating sends a heartbeat every 200 ms on a hand-driven session, so that only its certificate can end it. */
function beating(s: SessionProbe): () => void {
  const t = setInterval(() => s.stream.write({ heartbeat: {} }), 200);
  return () => clearInterval(t);
}

describe('certificates are enforced on live streams: expiry, retired CA', { timeout: 90_000 }, () => {
  const managers: TestManager[] = [];
  after(async () => {
    await Promise.all(managers.map((m) => m.stop()));
  });

  const token = async (m: TestManager): Promise<string> => (await call('Control', m.address, m.admin, 'GetJoinToken', { role: 'worker' })).token;
  const join = async (m: TestManager, name: string): Promise<NodeCredentials> =>
    joinCluster({ manager: m.address, token: await token(m), name, hostname: name, advertise: '127.0.0.1', labels: {} });
  const node = (c: NodeCredentials): Peer => ({ caPem: c.caPem, certPem: c.certPem, keyPem: c.keyPem });

  test('a session ends within seconds once its certificate expires, though it opened while the certificate was valid', async () => {
    const m = await startTestManager({ nodeCertTtlMs: 4000 });
    managers.push(m);
    const n = await join(m, 'brief');
    const notAfter = certificateNotAfter(n.certPem).getTime();
    const s = openSession(m.address, node(n));
    const stop = beating(s);
    try {
      assert.equal(await within(s.accepted, 3000, 'session'), n.nodeId);
      const end = await within(s.ended, notAfter - Date.now() + 5000, 'session end after expiry');
      const endedAt = Date.now();
      assert.equal(end.code, grpc.status.UNAUTHENTICATED);
      assert.match(end.details, new RegExp(`^/cluster\\.v1\\.Dispatcher/Session: the certificate of node ${n.nodeId} \\([0-9a-f]+\\) expired at \\S+; the stream is ended$`));
      assert.ok(endedAt >= notAfter, 'not ended before the certificate expired');
      assert.ok(m.logs.some((l) => l.includes(`the certificate of node ${n.nodeId}`) && l.includes('expired')));
    } finally {
      stop();
      s.close();
    }
  });

  test('after cluster ca rotate --finish, a session on a previous-CA certificate ends; a node that renewed keeps its session', async () => {
    const m = await startTestManager();
    managers.push(m);
    const stale = await join(m, 'stale');
    const renewing = await join(m, 'renewing');
    const ss = openSession(m.address, node(stale));
    const sr = openSession(m.address, node(renewing));
    const stops = [beating(ss), beating(sr)];
    try {
      await within(Promise.all([ss.accepted, sr.accepted]), 5000, 'sessions');
      const admin = await pki.createKeyAndCsr('admin');
      const rotated = await call('Control', m.address, m.admin, 'RotateCa', { csrPem: admin.csrPem });
      const newAdmin: Peer = { caPem: rotated.caPem, certPem: rotated.certificatePem, keyPem: admin.keyPem };
      // The renewing node renews over its current certificate (as the CaUpdate tells it to); its session stays open.
      const key = await pki.createKeyAndCsr('renewing');
      const renewed = await call('Dispatcher', m.address, { ...node(renewing), caPem: `${renewing.caPem}${rotated.caPem}` }, 'RenewCertificate', { csrPem: key.csrPem });
      assert.ok(!('error' in pki.identityFromCertificate(renewed.certificatePem, rotated.caPem, new Date())));
      // While the rotation runs, both CAs are trusted: the stale session goes on.
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(m.manager.dispatcher.connected(stale.nodeId), true);

      await call('Control', m.address, newAdmin, 'RotateCa', { csrPem: '', finish: true });
      const end = await within(ss.ended, 5000, 'previous-CA session end');
      assert.equal(end.code, grpc.status.UNAUTHENTICATED);
      assert.match(end.details, new RegExp(`^/cluster\\.v1\\.Dispatcher/Session: the certificate of node ${stale.nodeId} \\([0-9a-f]+\\) was issued by a CA this cluster no longer trusts \\(the CA was rotated\\); the stream is ended$`));
      // The node that renewed is still served, over the session it opened with its first certificate.
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(m.manager.dispatcher.connected(renewing.nodeId), true);
      const settled = await Promise.race([sr.ended, new Promise((r) => setTimeout(() => r('open'), 10))]);
      assert.equal(settled, 'open');
    } finally {
      for (const stop of stops) stop();
      ss.close();
      sr.close();
    }
  });
});
