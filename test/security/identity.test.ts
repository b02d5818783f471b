import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCompose } from '@cluster/core';
import { writeAdmin } from '@cluster/manager';
import { joinCluster, type NodeCredentials } from '@cluster/agent';
import { run } from '@cluster/cli';
import { call, openSession, startTestManager, within, type Peer, type TestManager } from './harness.js';

/** sleep waits `ms`. */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('a node does not choose which constraints it matches: host name and labels come from the join and the admin', { timeout: 90_000 }, () => {
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

  const admin = (): Peer => ({ caPem: m.admin.caPem, certPem: m.admin.certPem, keyPem: m.admin.keyPem });
  const node = (c: NodeCredentials): Peer => ({ caPem: c.caPem, certPem: c.certPem, keyPem: c.keyPem });
  const cli = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await run(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, env: { CLUSTER_HOME: home }, cwd: m.dir });
    return { code, out, err };
  };
  const workerToken = async (labels: Record<string, string> = {}): Promise<string> =>
    (await call('Control', m.address, admin(), 'GetJoinToken', { role: 'worker', labels })).token;

  test('a node claiming another node\'s host name in its hello gets no task pinned to that host name', async () => {
    const vault = await joinCluster({ manager: m.address, token: await workerToken(), name: 'vault', hostname: 'vault-host', advertise: '127.0.0.1', labels: {} });
    const intruder = await joinCluster({ manager: m.address, token: await workerToken(), name: 'intruder', hostname: 'intruder-host', advertise: '127.0.0.1', labels: {} });
    // The intruder's session says it is vault-host; the real vault-host has no session yet.
    const si = openSession(m.address, node(intruder), [], { hostname: 'vault-host' });
    const probes = [si];
    try {
      await within(si.accepted, 5000, 'intruder session');
      const { spec } = loadCompose('services:\n  keys:\n    image: example/keys\n    deploy:\n      placement:\n        constraints: ["node.hostname==vault-host"]\n', { file: 'stack.yml', stackName: 'pinned' });
      await call('Control', m.address, admin(), 'DeployStack', { name: 'pinned', specJson: JSON.stringify(spec), dryRun: false });
      await sleep(1500);
      const tasks = m.store.allTasks().filter((t) => t.stack === 'pinned');
      assert.ok(tasks.length > 0);
      assert.ok(tasks.every((t) => t.nodeId !== intruder.nodeId), 'no task of the pinned stack went to the intruder');
      assert.equal(m.store.node(intruder.nodeId)?.hostname, 'intruder-host', 'the host name of the join stays');
      assert.ok(m.logs.some((l) => l.includes(`node intruder (${intruder.nodeId}) says its host name is "vault-host"; it keeps "intruder-host" from its join`)), m.logs.join('\n'));

      // The real vault-host comes up: the pinned task goes there.
      const sv = openSession(m.address, node(vault), [], { hostname: 'vault-host' });
      probes.push(sv);
      await within(sv.accepted, 5000, 'vault session');
      const deadline = Date.now() + 10_000;
      while (!m.store.allTasks().some((t) => t.stack === 'pinned' && t.nodeId === vault.nodeId) && Date.now() < deadline) await sleep(50);
      assert.ok(m.store.allTasks().some((t) => t.stack === 'pinned' && t.nodeId === vault.nodeId && t.desiredState === 'running'));
      assert.ok(m.store.allTasks().every((t) => t.stack !== 'pinned' || t.nodeId !== intruder.nodeId));
    } finally {
      for (const p of probes) p.close();
    }
  });

  test('labels asked for at join are refused unless the token allows them; an admin adds them with cluster node label add', async () => {
    const plain = await workerToken();
    await assert.rejects(
      joinCluster({ manager: m.address, token: plain, name: 'eager', hostname: 'eager', advertise: '127.0.0.1', labels: { zone: 'secure' } }),
      /join: label "zone=secure" is not allowed by this token; make a token that allows it \(cluster token worker --label "zone=secure"\), or join without it and add it with: cluster node label add NODE "zone=secure"/,
    );
    assert.ok(!m.store.allNodes().some((n) => n.name === 'eager'));

    const made = await cli(['token', 'worker', '-q', '--label', 'zone=secure']);
    assert.equal(made.code, 0, made.err);
    const allowing = made.out.trim();
    await assert.rejects(
      joinCluster({ manager: m.address, token: allowing, name: 'eager', hostname: 'eager', advertise: '127.0.0.1', labels: { zone: 'secure', disk: 'ssd' } }),
      /join: label "disk=ssd" is not allowed by this token/,
    );
    await assert.rejects(
      joinCluster({ manager: m.address, token: allowing, name: 'eager', hostname: 'eager', advertise: '127.0.0.1', labels: { zone: 'public' } }),
      /join: label "zone=public" is not allowed by this token/,
    );
    const joined = await joinCluster({ manager: m.address, token: allowing, name: 'eager', hostname: 'eager', advertise: '127.0.0.1', labels: { zone: 'secure' } });
    assert.deepEqual(m.store.node(joined.nodeId)?.labels, { zone: 'secure' });

    // Without asking, nothing: a token's labels are allowed, not imposed.
    const quiet = await joinCluster({ manager: m.address, token: allowing, name: 'quiet', hostname: 'quiet', advertise: '127.0.0.1', labels: {} });
    assert.deepEqual(m.store.node(quiet.nodeId)?.labels, {});
    const added = await cli(['node', 'label', 'add', 'quiet', 'disk=ssd']);
    assert.equal(added.code, 0, added.err);
    assert.deepEqual(m.store.node(quiet.nodeId)?.labels, { disk: 'ssd' });

    const bad = await cli(['token', 'worker', '--label', 'zone']);
    assert.equal(bad.code, 1);
    assert.equal(bad.err, 'cluster: token --label: invalid label "zone" (k=v, for example zone=eu)\n');
  });
});
