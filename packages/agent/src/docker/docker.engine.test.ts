/**
 * The executor and the worker against the real Docker engine, with the local
 * image cluster-test/busybox:latest. Every test uses its own stack and node id,
 * and the executor is scoped to that node id, so tests never touch anything else
 * on the engine; after() removes what they made, by label.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { freePort } from '../freePort.js';
import type Dockerode from 'dockerode';
import { LABELS } from '@cluster/core';
import type { Assignment, Executor, Observation } from '../executor.js';
import { makeAssignment, type AssignmentParts } from '../fake-executor.js';
import { Worker } from '../worker.js';
import { dockerExecutor, dockerFromHost } from './adapter.js';

const IMAGE = 'cluster-test/busybox:latest';
const RUN = `et${randomBytes(3).toString('hex')}`;
const SLEEP = ['sh', '-c', 'sleep 3600'];

let docker: Dockerode;
let counter = 0;
const nodes: string[] = [];

interface Running {
  worker: Worker;
  obs(taskId: string): Observation | undefined;
}

/** Ctx is one test's own stack and node, with an executor scoped to that node. */
interface Ctx {
  stack: string;
  node: string;
  executor: Executor;
  assignment(parts?: AssignmentParts): Assignment;
  startWorker(): Promise<Running>;
}

function ctx(): Ctx {
  const n = ++counter;
  const stack = `${RUN}-${n}`;
  const node = `node-${RUN}-${n}`;
  nodes.push(node);
  const executor = dockerExecutor(docker, { nodeId: node, pullTimeoutMs: 20_000 });
  return {
    stack,
    node,
    executor,
    assignment: (parts = {}) =>
      makeAssignment({
        task: { stack, nodeId: node, id: `task${randomBytes(4).toString('hex')}`, ...parts.task },
        // sh as PID 1 ignores SIGTERM, so a short grace keeps stops quick.
        spec: { image: IMAGE, command: SLEEP, stopGracePeriodMs: 1000, ...parts.spec },
      }),
    async startWorker() {
      const worker = new Worker({ executor, nodeId: node, onStatus: () => undefined });
      await worker.start();
      return { worker, obs: (id) => worker.observations().find((o) => o.taskId === id) };
    },
  };
}

/** until polls check until it returns a value, or fails after timeoutMs. */
async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function containersOf(stack: string): Promise<Dockerode.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${LABELS.stack}=${stack}`] } });
}

describe('docker executor on the real engine', { timeout: 180_000 }, () => {
  before(() => {
    docker = dockerFromHost(process.env.DOCKER_HOST);
  });

  after(async () => {
    for (const node of nodes) {
      const left = await docker.listContainers({ all: true, filters: { label: [`${LABELS.node}=${node}`] } });
      await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
    }
    const nets = await docker.listNetworks({ filters: { label: [LABELS.stack] } });
    await Promise.all(
      nets.filter((n) => n.Name.startsWith(`${RUN}-`)).map((n) => docker.getNetwork(n.Id).remove().catch(() => undefined)),
    );
  });

  test('a task becomes a running container with its name, labels and env', { timeout: 30_000 }, async () => {
    const { stack, node, assignment, startWorker } = ctx();
    const a = assignment({ task: { slot: 2, specVersion: 5 }, spec: { env: { B: '2', A: '1' }, labels: { team: 'x' } } });
    const r = await startWorker();
    await r.worker.setAssignments([a]);
    const o = await until('running', () => (r.obs(a.task.id)?.state === 'running' ? r.obs(a.task.id) : undefined));
    const info = await docker.getContainer(o.containerId).inspect();
    assert.equal(info.State.Running, true);
    assert.equal(info.Name, `/${stack}_web.2.${a.task.id}`);
    assert.deepEqual(
      { ...info.Config.Labels },
      {
        team: 'x',
        [LABELS.stack]: stack,
        [LABELS.service]: `${stack}_web`,
        [LABELS.task]: a.task.id,
        [LABELS.slot]: '2',
        [LABELS.spec]: '5',
        [LABELS.node]: node,
      },
    );
    assert.ok(info.Config.Env.includes('A=1') && info.Config.Env.includes('B=2'));
    assert.equal(info.HostConfig.RestartPolicy?.Name, 'no');
    assert.deepEqual(info.NetworkSettings.Networks[`${stack}_default`]?.Aliases?.includes('web'), true);
    await r.worker.stop();
  });

  test('a container that exits is reported failed with its code and not restarted', { timeout: 30_000 }, async () => {
    const { assignment, startWorker } = ctx();
    const a = assignment({ spec: { command: ['sh', '-c', 'sleep 1; exit 3'] } });
    const r = await startWorker();
    await r.worker.setAssignments([a]);
    const o = await until('failed', () => (r.obs(a.task.id)?.state === 'failed' ? r.obs(a.task.id) : undefined));
    assert.equal(o.exitCode, 3);
    assert.equal(o.error, 'exited with code 3');
    const first = await docker.getContainer(o.containerId).inspect();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const later = await docker.getContainer(o.containerId).inspect();
    assert.equal(later.State.Running, false);
    assert.equal(later.State.StartedAt, first.State.StartedAt, 'not restarted');
    assert.equal(later.RestartCount, 0);
    assert.equal(r.obs(a.task.id)?.state, 'failed');
    await r.worker.stop();
  });

  test('a restarted worker adopts the running container: same id, same StartedAt', { timeout: 30_000 }, async () => {
    const { stack, assignment, startWorker } = ctx();
    const a = assignment();
    const first = await startWorker();
    await first.worker.setAssignments([a]);
    const o = await until('running', () => (first.obs(a.task.id)?.state === 'running' ? first.obs(a.task.id) : undefined));
    const before = await docker.getContainer(o.containerId).inspect();
    await first.worker.stop();

    const second = await startWorker();
    assert.equal(second.obs(a.task.id)?.state, 'running', 'adopted on start');
    await second.worker.setAssignments([{ ...a, task: { ...a.task, state: 'running', containerId: o.containerId } }]);
    await second.worker.idle();
    assert.equal(second.obs(a.task.id)?.containerId, o.containerId);
    assert.equal(second.obs(a.task.id)?.state, 'running');
    const afterInfo = await docker.getContainer(o.containerId).inspect();
    assert.equal(afterInfo.State.StartedAt, before.State.StartedAt);
    assert.equal((await containersOf(stack)).length, 1);
    await second.worker.stop();
  });

  test('an orphan labelled container not in the full set is removed', { timeout: 30_000 }, async () => {
    const { stack, node, executor, assignment, startWorker } = ctx();
    const orphan = assignment({ task: { id: `orphan${RUN}` } });
    const id = await executor.create(orphan, node);
    await executor.start(id);
    const keep = assignment();
    const r = await startWorker();
    await r.worker.setAssignments([keep]);
    await r.worker.idle();
    const left = await containersOf(stack);
    assert.deepEqual(left.map((c) => c.Labels[LABELS.task]), [keep.task.id]);
    await r.worker.stop();
  });

  test('desired shutdown stops and removes the container and the stack network', { timeout: 30_000 }, async () => {
    const { stack, assignment, startWorker } = ctx();
    // sh as PID 1 ignores SIGINT too: the stop signal is sent, the grace passes, then SIGKILL.
    const a = assignment({ spec: { stopSignal: 'SIGINT' } });
    const r = await startWorker();
    await r.worker.setAssignments([a]);
    await until('running', () => r.obs(a.task.id)?.state === 'running');
    await r.worker.applyChanges([{ ...a, task: { ...a.task, desiredState: 'shutdown', state: 'running' } }], []);
    await r.worker.idle();
    assert.equal(r.obs(a.task.id)?.state, 'shutdown');
    assert.equal((await containersOf(stack)).length, 0);
    await assert.rejects(docker.getNetwork(`${stack}_default`).inspect(), (err: { statusCode?: number }) => err.statusCode === 404);
    await r.worker.stop();
  });

  test('the tasks of a stack assigned together all run, on one stack network made once', { timeout: 60_000 }, async () => {
    const { stack, assignment, startWorker } = ctx();
    const all = Array.from({ length: 6 }, (_, i) => assignment({ task: { slot: i + 1 } }));
    const r = await startWorker();
    await r.worker.setAssignments(all);
    await r.worker.idle();
    assert.deepEqual(all.map((a) => r.obs(a.task.id)?.state), all.map(() => 'running'));
    const nets = (await docker.listNetworks({ filters: { name: [`${stack}_default`] } })).filter((n) => n.Name === `${stack}_default`);
    assert.equal(nets.length, 1);
    for (const c of await containersOf(stack)) assert.ok(c.NetworkSettings?.Networks?.[`${stack}_default`], `${c.Names[0]} on the stack network`);
    await r.worker.stop();
  });

  test('a stack network removed behind the executor is made again for the next container', { timeout: 30_000 }, async () => {
    const { stack, node, executor, assignment } = ctx();
    const first = await executor.create(assignment(), node);
    await docker.getContainer(first).remove({ force: true });
    await docker.getNetwork(`${stack}_default`).remove();
    const second = await executor.create(assignment({ task: { slot: 2 } }), node);
    await executor.start(second);
    const info = await docker.getContainer(second).inspect();
    assert.equal(info.State.Running, true);
    assert.ok(info.NetworkSettings.Networks[`${stack}_default`], 'on the stack network made again');
  });

  test('a missing image that cannot be pulled rejects the task naming the image', { timeout: 30_000 }, async () => {
    const { stack, assignment, startWorker } = ctx();
    const a = assignment({ spec: { image: 'cluster-test/absent:1' } });
    const r = await startWorker();
    await r.worker.setAssignments([a]);
    await r.worker.idle();
    const o = r.obs(a.task.id);
    assert.equal(o?.state, 'rejected');
    assert.match(o?.error ?? '', /^image "cluster-test\/absent:1" is not on this node and could not be pulled: /);
    assert.equal((await containersOf(stack)).length, 0);
    await r.worker.stop();
  });

  test('engine health changes are reported: starting, then healthy', { timeout: 30_000 }, async () => {
    const { assignment, startWorker } = ctx();
    const hc = { test: ['CMD-SHELL', 'test -f /tmp/ready'], intervalMs: 300, timeoutMs: 1000, retries: 1, startPeriodMs: 0 };
    const a = assignment({ spec: { command: ['sh', '-c', 'sleep 1; touch /tmp/ready; sleep 3600'], healthcheck: hc } });
    const r = await startWorker();
    await r.worker.setAssignments([a]);
    await r.worker.idle();
    assert.deepEqual([r.obs(a.task.id)?.state, r.obs(a.task.id)?.health], ['running', 'starting']);
    await until('healthy', () => r.obs(a.task.id)?.health === 'healthy');
    await r.worker.stop();
  });

  test('a published port answers on the host', { timeout: 30_000 }, async () => {
    const { assignment, startWorker } = ctx();
    const port = await freePort('0.0.0.0');
    const a = assignment({
      spec: {
        command: ['sh', '-c', 'mkdir -p /www && echo hello-cluster > /www/index.html && exec httpd -f -p 80 -h /www'],
        ports: [{ target: 80, published: port, protocol: 'tcp', mode: 'host' }],
      },
    });
    const r = await startWorker();
    await r.worker.setAssignments([a]);
    await until('running', () => r.obs(a.task.id)?.state === 'running');
    const body = await until('an answer', async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
        return res.ok ? await res.text() : undefined;
      } catch {
        return undefined;
      }
    });
    assert.equal(body.trim(), 'hello-cluster');
    await r.worker.stop();
  });

  test('networks of stacks no task uses (left by a killed agent) are removed; a stack in use keeps its network', { timeout: 30_000 }, async () => {
    const idle = `${RUN}-idle`;
    const used = `${RUN}-used`;
    for (const stack of [idle, used]) await docker.createNetwork({ Name: `${stack}_default`, Labels: { [LABELS.stack]: stack } });
    const executor = dockerExecutor(docker, { nodeId: `${RUN}-sweeper`, idleNetworkAgeMs: 0 });
    // Stacks of other tests on this engine are kept: only this test's idle one may go.
    const others = (await docker.listNetworks({ filters: { label: [LABELS.stack] } })).map((n) => n.Labels?.[LABELS.stack] ?? '').filter((st) => st !== idle);
    assert.deepEqual(await executor.removeIdleStacks!(new Set(others)), [idle]);
    const left = (await docker.listNetworks({ filters: { label: [LABELS.stack] } })).map((n) => n.Name);
    assert.ok(!left.includes(`${idle}_default`));
    assert.ok(left.includes(`${used}_default`));
  });
});
