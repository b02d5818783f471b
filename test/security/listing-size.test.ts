/**
 * A listing of 200,000 tasks works: `cluster ps` reads it in pages (the whole
 * answer is about 30 MB, far over one message), against a real manager over
 * mTLS whose node (a session driven by hand, as an agent would) received
 * every assignment in chunks.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCompose } from '@cluster/core';
import { writeAdmin } from '@cluster/manager';
import { joinCluster } from '@cluster/agent';
import { run } from '@cluster/cli';
import { call, openSession, startTestManager, within, type Peer, type SessionProbe, type TestManager } from './harness.js';

const REPLICAS = 100_000;

describe('a 200,000-task listing', { timeout: 240_000 }, () => {
  let m: TestManager;
  let session: SessionProbe | undefined;
  let beat: NodeJS.Timeout | undefined;
  let home = '';
  /** received counts the tasks the node was sent, over every assignment message. */
  let received = 0;
  let messages = 0;
  before(async () => {
    m = await startTestManager();
    home = join(m.dir, 'home');
    writeAdmin(join(home, 'credentials'), m.admin);
    writeFileSync(join(home, 'config.json'), JSON.stringify({
      manager: m.address, caFile: join(home, 'credentials/ca.crt'), certFile: join(home, 'credentials/admin.crt'), keyFile: join(home, 'credentials/admin.key'),
    }));
    const { token } = await call('Control', m.address, admin(), 'GetJoinToken', { role: 'worker' });
    const creds = await joinCluster({ manager: m.address, token, name: 'big', hostname: 'big', advertise: '127.0.0.1', labels: {} });
    session = openSession(m.address, { caPem: creds.caPem, certPem: creds.certPem, keyPem: creds.keyPem });
    session.stream.on('data', (msg: { msg?: string; assignments?: { tasks: unknown[] } }) => {
      if (msg.msg !== 'assignments' || !msg.assignments) return;
      messages++;
      received += msg.assignments.tasks.length;
    });
    await within(session.accepted, 15_000, 'session accepted');
    const open = session;
    beat = setInterval(() => open.stream.write({ heartbeat: {} }), 200);
  });
  after(async () => {
    if (beat) clearInterval(beat);
    session?.close();
    await m?.stop();
  });

  const admin = (): Peer => ({ caPem: m.admin.caPem, certPem: m.admin.certPem, keyPem: m.admin.keyPem });

  test('cluster ps lists 200,000 tasks, each once, read in pages', async () => {
    const text = `services:\n  a:\n    image: busybox\n    deploy: {replicas: ${REPLICAS}}\n  b:\n    image: busybox\n    deploy: {replicas: ${REPLICAS}}\n`;
    const { spec } = loadCompose(text, { file: 'stack.yml', stackName: 'huge' });
    await call('Control', m.address, admin(), 'DeployStack', { name: 'huge', specJson: JSON.stringify(spec), dryRun: false });
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && (m.store.taskCount() < 2 * REPLICAS || received < 2 * REPLICAS)) await new Promise((r) => setTimeout(r, 250));
    assert.equal(m.store.taskCount(), 2 * REPLICAS, 'the manager made every task');
    assert.equal(received, 2 * REPLICAS, 'the node received every assignment');
    assert.ok(messages > 2, `assignments came in ${messages} messages`);

    let out = '';
    let err = '';
    const started = Date.now();
    const code = await run(['ps', 'huge', '--format', 'json'], { out: (s) => { out += s; }, err: (s) => { err += s; }, env: { CLUSTER_HOME: home }, cwd: m.dir });
    const took = Date.now() - started;
    assert.equal(code, 0, err);
    const tasks = JSON.parse(out) as { id: string; service: string; slot: number; node: string }[];
    assert.equal(tasks.length, 2 * REPLICAS);
    assert.equal(new Set(tasks.map((t) => t.id)).size, 2 * REPLICAS, 'no task twice');
    assert.deepEqual([tasks[0]!.service, tasks[0]!.slot], ['huge_a', 1]);
    assert.deepEqual([tasks.at(-1)!.service, tasks.at(-1)!.slot], ['huge_b', REPLICAS]);
    assert.ok(tasks.every((t) => t.node === 'big'));
    // A generous bound; the time is printed for the record.
    assert.ok(took < 120_000, `ps took ${took} ms`);
    console.log(`# ps of ${tasks.length} tasks took ${took} ms; assignments came in ${messages} messages`);
  });
});
