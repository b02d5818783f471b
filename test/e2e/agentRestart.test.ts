import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, TestCluster, containersOf, removeStackContainers, until } from '../support/cluster.js';

interface PsTask { id: string; slot: number; desiredState: string; state: string; containerId: string }

const STACK = 'agentrestart';

/** gone tells whether a process has exited (a zombie not yet reaped counts as gone). */
function gone(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

describe('an agent stopped with SIGTERM and started again', { timeout: 180_000 }, () => {
  let c: TestCluster;
  let restarted: number | undefined;

  before(async () => {
    await removeStackContainers(STACK);
    c = await TestCluster.start();
  });
  after(async () => {
    if (restarted !== undefined && !gone(restarted)) process.kill(restarted, 'SIGKILL');
    c?.stop();
    await removeStackContainers(STACK);
  });

  test('leaves the service running and cluster ps matches the engine', async () => {
    const dir = join(c.home, STACK);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'stack.yml'), `services:\n  app:\n    image: ${IMAGE}\n    command: ["sleep", "86400"]\n    stop_grace_period: 1s\n    deploy:\n      replicas: 2\n`);
    const r = c.cli(['deploy', join(dir, 'stack.yml')]);
    assert.equal(r.code, 0, r.err);
    const runningIds = async (): Promise<string[]> => (await containersOf(STACK)).filter((x) => x.State === 'running').map((x) => x.Id).sort();
    const before = await until('2 containers running', 30_000, async () => ((await runningIds()).length === 2 ? runningIds() : undefined));

    // The agent's own command line starts it again from its data dir, as an operator's restart would.
    const pid = c.agentPid();
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    process.kill(pid, 'SIGTERM');
    await until('the agent to exit after SIGTERM', 15_000, () => gone(pid));
    assert.deepEqual(await runningIds(), before, 'SIGTERM of the agent leaves its containers running');

    // While the agent is away its node goes down and the manager replaces the tasks; the
    // restarted agent then gets the old tasks to stop and, right after, their replacements.
    await until('the tasks of the stopped agent replaced', 30_000, () =>
      c.json<PsTask[]>(['ps', STACK]).filter((t) => t.desiredState === 'shutdown').length === 2);
    const log = openSync(join(c.home, 'data/agent/agent.log'), 'a');
    const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    child.unref();
    restarted = child.pid;

    const matched = async (): Promise<string[] | undefined> => {
      const engine = await runningIds();
      const ps = c.json<PsTask[]>(['ps', STACK]);
      const wanted = ps.filter((t) => t.desiredState === 'running');
      if (ps.length !== 2 || wanted.length !== 2 || engine.length !== 2) return undefined;
      if (!wanted.every((t) => t.state === 'running' && engine.includes(t.containerId))) return undefined;
      return engine;
    };
    const ids = await until('cluster ps to match the engine with 2 running', 30_000, matched);
    // Whatever was started is still running a while later, and cluster ps still says what the engine does.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    assert.deepEqual(await runningIds(), ids, 'the containers running after the restart keep running');
    assert.deepEqual(await until('cluster ps to match the engine', 10_000, matched), ids);
  });
});
