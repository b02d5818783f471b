import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, TestCluster, alive, removeStackContainers, until } from '../support/cluster.js';

// A wall-clock step of minutes, forward and back, on one process (the
// manager, then the agent), made with libfaketime (`apt-get install
// faketime`): its realtime clock follows a file, its monotonic clock is left
// alone (DONT_FAKE_MONOTONIC=1). Liveness is judged on monotonic time, so no
// node is called down for a step, and a node that really goes silent is
// still called down.

const STACK = 'clockstep';
const LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const skip = !existsSync(LIB) ? `libfaketime is missing (${LIB}; apt-get install faketime)` : false;
/** SETTLE_MS is longer than the manager's silence bound (2.5 s) and session grace (1.5 s) together. */
const SETTLE_MS = 6000;

interface PsTask { id: string; desiredState: string; state: string }
interface NodeRow { name: string; status: string }

/** fakeClock is the environment that makes a process's wall clock follow `file` (an offset such as -10m). */
function fakeClock(file: string): Record<string, string> {
  return { LD_PRELOAD: LIB, FAKETIME_TIMESTAMP_FILE: file, DONT_FAKE_MONOTONIC: '1', FAKETIME_CACHE_DURATION: '1' };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('a clock step of minutes on one process', { skip, timeout: 300_000 }, () => {
  let c: TestCluster;
  let dir = '';
  let stopped: number | undefined;
  let restarted: number | undefined;

  /** tasks are the ids of the stack's tasks that should run, once all run. */
  const tasks = (): string[] | undefined => {
    const ps = c.json<PsTask[]>(['ps', STACK]).filter((t) => t.desiredState === 'running');
    return ps.length === 2 && ps.every((t) => t.state === 'running') ? ps.map((t) => t.id).sort() : undefined;
  };
  /** settled waits until the running tasks are the same two across 3 s (a node back from down may still have tasks replaced). */
  const settled = (what: string, ms: number): Promise<string[]> => until(what, ms, async () => {
    const first = tasks();
    if (!first) return undefined;
    await sleep(3000);
    const again = tasks();
    return again && again.join() === first.join() ? again : undefined;
  });
  const status = (): string => c.json<NodeRow[]>(['nodes'])[0]?.status ?? '';
  const step = (file: string, offset: string): void => writeFileSync(file, `${offset}\n`);

  /** noFalseDown steps a clock and checks, after the silence bound, that the node stayed ready and no task was replaced. */
  async function noFalseDown(file: string, offset: string, ids: string[], log: string): Promise<void> {
    const before = readFileSync(log, 'utf8').length;
    step(file, offset);
    await sleep(SETTLE_MS);
    assert.equal(status(), 'ready', `the node after a step of ${offset}`);
    assert.deepEqual(tasks(), ids, `the same tasks run after a step of ${offset}`);
    assert.doesNotMatch(readFileSync(log, 'utf8').slice(before), /is down/, `no node was called down after a step of ${offset}`);
  }

  before(async () => {
    await removeStackContainers(STACK);
    c = await TestCluster.start();
    dir = join(c.home, STACK);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compose.yml'), `services:\n  app:\n    image: ${IMAGE}\n    command: ["sleep", "86400"]\n    stop_grace_period: 1s\n    deploy:\n      replicas: 2\n`);
    const r = c.cli(['deploy', join(dir, 'compose.yml')]);
    assert.equal(r.code, 0, r.err);
  });
  after(async () => {
    if (stopped !== undefined) process.kill(stopped, 'SIGCONT');
    if (restarted !== undefined && alive(restarted)) process.kill(restarted, 'SIGKILL');
    c?.stop();
    await removeStackContainers(STACK);
  });

  test('the manager\'s clock set back and forward by 10 minutes: no node is called down; a node that goes silent still is', async () => {
    const file = join(dir, 'manager-clock');
    step(file, '+0');
    // The manager again, with a clock that follows the file.
    const pid = c.managerPid();
    process.kill(pid, 'SIGKILL');
    await until('the manager to exit', 10_000, () => !alive(pid) || undefined);
    const r = c.cli(['init', '--listen', `127.0.0.1:${c.port}`, '--name', c.nodeName], { env: fakeClock(file) });
    assert.equal(r.code, 0, r.err);
    const ids = await settled('2 running tasks', 60_000);
    const log = join(c.home, 'data/manager/manager.log');
    await noFalseDown(file, '-10m', ids, log);
    await noFalseDown(file, '+10m', ids, log);
    await noFalseDown(file, '+0', ids, log);

    // A node whose agent stops answering, and the manager's clock set back
    // by 10 minutes right after: the node is down all the same (judged on
    // the wall clock, its last heartbeat would be 10 minutes ahead).
    const agent = c.agentPid();
    process.kill(agent, 'SIGSTOP');
    stopped = agent;
    step(file, '-10m');
    try {
      const down = await until('the silent node to be called down', 30_000, () => status() === 'down' || undefined);
      assert.equal(down, true);
    } finally {
      process.kill(agent, 'SIGCONT');
      stopped = undefined;
    }
    await until('the node ready again', 30_000, () => status() === 'ready' || undefined);
    const again = await settled('2 running tasks again', 60_000);
    // The manager's clock right again (a step forward): still no node called down.
    await noFalseDown(file, '+0', again, log);
  });

  test('the agent\'s clock set back and forward by 10 minutes: its node stays ready and its tasks run on', async () => {
    const file = join(dir, 'agent-clock');
    step(file, '+0');
    // The agent again, from its own command line, with a clock that follows the file.
    const pid = c.agentPid();
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    process.kill(pid, 'SIGTERM');
    await until('the agent to exit', 15_000, () => !alive(pid) || undefined);
    const out = openSync(join(c.home, 'data/agent/agent.log'), 'a');
    const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...fakeClock(file) } });
    closeSync(out);
    child.unref();
    restarted = child.pid;
    await until('the node ready', 30_000, () => status() === 'ready' || undefined);
    const ids = await settled('2 running tasks', 60_000);
    const log = join(c.home, 'data/manager/manager.log');
    await noFalseDown(file, '-10m', ids, log);
    await noFalseDown(file, '+10m', ids, log);
    step(file, '+0');
  });
});
