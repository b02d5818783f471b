import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { createCa, issueCertificate, type CaMaterial } from './ca.js';
import { createKeyAndCsr } from '@cluster/api';
import { identityFromCertificate, type PeerIdentity } from './identity.js';

const HOUR = 60 * 60 * 1000;

async function credentials(ca: CaMaterial, commonName: string, role: 'manager' | 'worker', serverAuth: boolean) {
  const { keyPem, csrPem } = await createKeyAndCsr(commonName);
  const issued = await issueCertificate(ca, {
    csrPem,
    commonName,
    role,
    ttlMs: HOUR,
    // OpenSSL checks validity against the real clock.
    now: new Date(),
    serverAuth,
    ...(serverAuth ? { ipAddresses: ['127.0.0.1'] } : {}),
  });
  return { key: keyPem, cert: issued.certPem };
}

test('certificates of one CA work for mutual TLS on 127.0.0.1', async (t) => {
  const ca = await createCa({ clusterId: 'c-tls', now: new Date() });
  const server = tls.createServer({
    ...(await credentials(ca, 'manager-1', 'manager', true)),
    ca: [ca.certPem],
    requestCert: true,
    rejectUnauthorized: true,
  });
  const peers: Array<PeerIdentity | { error: string }> = [];
  server.on('secureConnection', (socket) => {
    peers.push(identityFromCertificate(socket.getPeerCertificate().raw, ca.certPem, new Date()));
    socket.end('hello');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;

  const client = tls.connect({ host: '127.0.0.1', port, ca: [ca.certPem], ...(await credentials(ca, 'node-1', 'worker', false)) });
  await once(client, 'secureConnect');
  assert.equal(client.authorized, true, String(client.authorizationError));
  const serverIdentity = identityFromCertificate(client.getPeerCertificate().raw, ca.certPem, new Date());
  assert.ok(!('error' in serverIdentity));
  assert.equal(serverIdentity.commonName, 'manager-1');
  assert.equal(serverIdentity.role, 'manager');
  let received = '';
  client.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  await once(client, 'end');
  client.destroy();
  assert.equal(received, 'hello');
  assert.equal(peers.length, 1);
  const clientIdentity = peers[0];
  assert.ok(clientIdentity !== undefined && !('error' in clientIdentity));
  assert.equal(clientIdentity.commonName, 'node-1');
  assert.equal(clientIdentity.role, 'worker');
});

test('a client whose certificate comes from another CA is refused by the server', async (t) => {
  const ca = await createCa({ clusterId: 'c-tls', now: new Date() });
  const stranger = await createCa({ clusterId: 'c-tls', now: new Date() });
  const server = tls.createServer({
    ...(await credentials(ca, 'manager-1', 'manager', true)),
    ca: [ca.certPem],
    requestCert: true,
    rejectUnauthorized: true,
  });
  let accepted = 0;
  server.on('secureConnection', (socket) => {
    accepted += 1;
    socket.end();
  });
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;

  const client = tls.connect({ host: '127.0.0.1', port, ca: [ca.certPem], ...(await credentials(stranger, 'node-x', 'worker', false)) });
  // With TLS 1.3 the client may finish its handshake before the server
  // rejects its certificate; the refusal then arrives as an alert.
  const [outcome] = await Promise.race([
    once(client, 'error').then((args) => ['error', args[0]] as const),
    once(client, 'close').then(() => ['close', undefined] as const),
  ]);
  client.destroy();
  assert.ok(outcome === 'error' || outcome === 'close');
  assert.equal(accepted, 0);
});
