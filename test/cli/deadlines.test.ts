import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadControlProto } from '@cluster/api';
import { run, type Io } from '@cluster/cli';
import { SqliteStore, issueAdmin, loadOrCreateIdentity } from '@cluster/manager';

// The CLI's two deadlines (CLUSTER_CONNECT_TIMEOUT, CLUSTER_CALL_TIMEOUT):
// a manager that is connected but slow to answer is told apart from one
// that cannot be connected to, and the error names the deadline that ran out.
// Real TLS gRPC servers on 127.0.0.1, the CLI run in this process.

const DAY = 24 * 3600 * 1000;

/** cli runs `cluster ARGS` in this process and returns its exit code and output. */
async function cli(home: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += t; }, err: (t) => { err += t; }, env: { CLUSTER_HOME: home, ...env }, cwd: home };
  const code = await run(args, io);
  return { code, out, err };
}

describe('the CLI tells a slow manager from an unreachable one', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-deadlines-'));
  const home = join(dir, 'home');
  let server: grpc.Server;
  let port = 0;
  let silent: Server;
  const held: Socket[] = [];
  let delayMs = 0;

  before(async () => {
    const store = SqliteStore.open(join(dir, 'store.db'));
    const now = new Date();
    const { identity } = await loadOrCreateIdentity(dir, store, { addresses: ['127.0.0.1'], now, serverCertTtlMs: DAY });
    const admin = await issueAdmin(identity, 'admin', now, DAY);
    store.close();
    // The chain as the manager serves it: its certificate, then the CA.
    const tls = { caPem: identity.ca.certPem, keyPem: identity.server.keyPem, chainPem: `${identity.server.certPem.trim()}\n${identity.ca.certPem.trim()}\n` };
    // A Control server whose ListNodes answers after delayMs.
    server = new grpc.Server();
    server.addService(loadControlProto().Control.service, {
      ListNodes: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => { setTimeout(() => cb(null, { nodes: [] }), delayMs); },
    });
    const creds = grpc.ServerCredentials.createSsl(Buffer.from(tls.caPem), [{ private_key: Buffer.from(tls.keyPem), cert_chain: Buffer.from(tls.chainPem) }], false);
    port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', creds, (e, p) => (e ? reject(e) : resolve(p))));
    // A server that accepts connections and never says a word (no TLS answer).
    silent = createServer((s) => { held.push(s); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const creddir = join(home, 'credentials');
    mkdirSync(creddir, { recursive: true });
    writeFileSync(join(creddir, 'ca.crt'), identity.ca.certPem);
    writeFileSync(join(creddir, 'admin.crt'), admin.certPem);
    writeFileSync(join(creddir, 'admin.key'), admin.keyPem);
    writeFileSync(join(home, 'config.json'), JSON.stringify({ manager: `127.0.0.1:${port}`, caFile: join(creddir, 'ca.crt'), certFile: join(creddir, 'admin.crt'), keyFile: join(creddir, 'admin.key') }));
  });
  after(() => {
    server?.forceShutdown();
    for (const s of held) s.destroy();
    silent?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a manager that answers within the call deadline answers', async () => {
    delayMs = 0;
    const r = await cli(home, ['nodes', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), []);
  });

  test('a connected manager that answers after the call deadline: the error names the call deadline, not connecting', async () => {
    delayMs = 3000;
    const r = await cli(home, ['nodes'], { CLUSTER_CALL_TIMEOUT: '1s' });
    assert.equal(r.code, 1);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, new RegExp(`the manager at 127\\.0\\.0\\.1:${port} did not answer ListNodes within 1s \\(the call deadline, CLUSTER_CALL_TIMEOUT; connecting worked\\)`));
    assert.doesNotMatch(r.err, /cannot reach|is it running/);
  });

  test('the same slow manager within a longer call deadline answers', async () => {
    delayMs = 1500;
    const r = await cli(home, ['nodes', '--format', 'json'], { CLUSTER_CALL_TIMEOUT: '20s' });
    assert.equal(r.code, 0, r.err);
  });

  test('nothing listening: the error says the manager cannot be reached and why, at once', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const free = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await cli(home, ['nodes', '--manager', `127.0.0.1:${free}`], { CLUSTER_CONNECT_TIMEOUT: '20s' });
    assert.equal(r.code, 1);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, new RegExp(`cannot reach the manager at 127\\.0\\.0\\.1:${free}: .*(ECONNREFUSED|refused)`));
    assert.match(r.err, /is it running\?/);
  });

  test('a host that accepts but never completes the handshake: the error names the connect deadline', async () => {
    const silentPort = (silent.address() as { port: number }).port;
    const r = await cli(home, ['nodes', '--manager', `127.0.0.1:${silentPort}`], { CLUSTER_CONNECT_TIMEOUT: '1s', CLUSTER_CALL_TIMEOUT: '60s' });
    assert.equal(r.code, 1);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, new RegExp(`cannot reach the manager at 127\\.0\\.0\\.1:${silentPort}: not connected within 1s \\(the connect deadline, CLUSTER_CONNECT_TIMEOUT`));
  });

  test('a deadline that is not a duration is refused with the variable named', async () => {
    const r = await cli(home, ['nodes'], { CLUSTER_CALL_TIMEOUT: 'soon' });
    assert.equal(r.code, 1);
    assert.match(r.err, /CLUSTER_CALL_TIMEOUT: invalid duration "soon"/);
  });
});
