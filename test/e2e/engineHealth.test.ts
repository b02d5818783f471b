import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCompose } from '@cluster/core';
import { FakeExecutor, Session, Worker, joinCluster } from '@cluster/agent';
import { call, startTestManager, type TestManager } from '../security/harness.js';
import { until } from '../support/cluster.js';

// Engine health is node health, against a real manager over real gRPC: the
// agents are the real Session and Worker on an in-memory executor whose
// "engine" can be taken away.

const GRACE_MS = 1500;

interface NodeRow { id: string; name: string; status: string; statusMessage: string; engineError: string }
interface TaskRow { id: string; nodeId: string; slot: number; desiredState: string; state: string; error: string }

interface Agent { name: string; nodeId: string; fake: FakeExecutor; worker: Worker; session: Session }

describe('engine health is node health (real manager, in-memory engines)', { timeout: 120_000 }, () => {
  let m: TestManager;
  const agents: Agent[] = [];
  const nodes = async (): Promise<NodeRow[]> => (await call('Control', m.address, m.admin, 'ListNodes', {})).nodes;
  const tasks = async (): Promise<TaskRow[]> => (await call('Control', m.address, m.admin, 'ListTasks', { filter: 'eh', all: true })).tasks;
  const live = async (): Promise<TaskRow[]> => (await tasks()).filter((t) => t.desiredState === 'running');
  const runningTotal = (): number => agents.reduce((n, a) => n + a.fake.running(), 0);

  before(async () => {
    m = await startTestManager({ engineGraceMs: GRACE_MS });
    const { token } = await call('Control', m.address, m.admin, 'GetJoinToken', { role: 'worker' });
    for (const name of ['ea', 'eb']) {
      const creds = await joinCluster({ manager: m.address, token, name, hostname: name, advertise: '127.0.0.1', labels: {} });
      const fake = new FakeExecutor({ idPrefix: name });
      const worker = new Worker({ executor: fake, nodeId: creds.nodeId, onStatus: (b) => session.report(b), batchMs: 5 });
      await worker.start();
      const session: Session = new Session({
        manager: m.address, caPem: creds.caPem, certPem: creds.certPem, keyPem: creds.keyPem, worker,
        hello: () => ({ hostname: name, advertiseAddress: '127.0.0.1', engineVersion: 'fake', nanoCpus: 4e9, memoryBytes: 8e9 }),
        log: () => undefined,
      });
      session.start();
      agents.push({ name, nodeId: creds.nodeId, fake, worker, session });
    }
    await until('both nodes ready', 20_000, async () => (await nodes()).filter((n) => n.status === 'ready').length === 2);
    const { spec } = loadCompose('services:\n  web:\n    image: example/web\n    deploy:\n      replicas: 4\n', { file: 'stack.yml', stackName: 'eh' });
    await call('Control', m.address, m.admin, 'DeployStack', { name: 'eh', specJson: JSON.stringify(spec), dryRun: false });
    await until('4 tasks running on both nodes', 20_000, async () => runningTotal() === 4 && agents.every((a) => a.fake.running() > 0));
  });

  after(async () => {
    for (const a of agents) {
      a.session.stop();
      await a.worker.stop();
    }
    await m?.stop();
  });

  test('an engine restarted within the grace period moves nothing', async () => {
    const before = (await live()).map((t) => t.id).sort();
    const [a] = agents;
    a!.session.engine('ECONNREFUSED /run/engine.sock');
    await until('the node to show its engine unreachable', 10_000, async () => (await nodes()).find((n) => n.id === a!.nodeId)?.engineError === 'ECONNREFUSED /run/engine.sock');
    a!.session.engine('');
    await until('the node to show its engine answers', 10_000, async () => (await nodes()).find((n) => n.id === a!.nodeId)?.engineError === '');
    // Longer than the grace period: a replacement would have happened by now.
    await new Promise((r) => setTimeout(r, GRACE_MS * 2));
    assert.deepEqual((await live()).map((t) => t.id).sort(), before);
    assert.ok((await nodes()).every((n) => n.status === 'ready'));
  });

  test('an engine that stays away marks its node down with the reason, its tasks run elsewhere, and nothing runs twice once it is back', async () => {
    const [a, b] = agents as [Agent, Agent];
    const onA = (await live()).filter((t) => t.nodeId === a.nodeId).map((t) => t.id);
    assert.ok(onA.length > 0);
    a.fake.engineDown = true;
    a.session.engine('ECONNREFUSED /run/engine.sock');
    const down = await until('the node to be down for its engine', 20_000, async () => {
      const n = (await nodes()).find((x) => x.id === a.nodeId);
      return n?.status === 'down' ? n : undefined;
    });
    assert.equal(down.statusMessage, 'engine unreachable: ECONNREFUSED /run/engine.sock');
    await until('4 tasks running on the other node', 20_000, async () => b.fake.running() === 4);
    const moved = (await tasks()).filter((t) => onA.includes(t.id));
    assert.ok(moved.every((t) => t.desiredState === 'shutdown'), JSON.stringify(moved));
    // The session and heartbeats went on all the while.
    assert.ok(a.session.connected);
    // Back: the node is ready again, the containers that survived are stopped, and 4 run in all.
    a.fake.engineDown = false;
    a.session.engine('');
    await a.worker.resync();
    await until('the node ready again', 20_000, async () => (await nodes()).find((n) => n.id === a.nodeId)?.status === 'ready');
    await until('the survivors stopped', 20_000, () => a.fake.running() === 0);
    assert.equal(runningTotal(), 4);
    assert.equal((await live()).length, 4);
    await until('the moved tasks to end as stopped', 20_000, async () => (await tasks()).filter((t) => onA.includes(t.id)).every((t) => ['shutdown', 'orphaned'].includes(t.state)));
  });
});
