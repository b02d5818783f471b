import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { alive, cli, exact, hostOf, json, lab, labSkip, managerPid, ok, restartManager, running, sleepService, stackFile, waitFor, type Container } from './lab.js';

// Failure handling across three lab hosts (deploy/lab/lab.sh): real dockerds
// in network namespaces, real containers counted through each host's engine.
// The tests share one lab and run in order; each leaves three hosts up, and
// puts back what it broke (a killed host, a cut link, a drained node, the
// manager) in `finally`, so that one failure does not fail the tests after it.
// The tests assert that replicas move, with deadlines generous enough for a
// loaded machine; how fast they move is measured in BENCHMARKS.md (failover).

const ALL = [1, 2, 3];
const skip = labSkip();

interface TaskRow { id: string; service: string; slot: number; node: string; desiredState: string; state: string; error: string; containerId: string }
interface NodeRow { name: string; status: string; availability: string; labels: Record<string, string> }

function log(msg: string): void {
  process.stderr.write(`lab: ${msg}\n`);
}

/** hostsByLoad returns the hosts running containers of a service, busiest first. */
function hostsByLoad(cs: Container[]): number[] {
  const count = new Map<number, number>();
  for (const c of cs) count.set(c.host, (count.get(c.host) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1]).map(([h]) => h);
}

/** settled waits until exactly n replicas run (one per slot) and stay so for holdMs. */
async function settled(service: string, n: number, ms: number, holdMs = 3000): Promise<Container[]> {
  return waitFor(`exactly ${n} running ${service} replicas, one per slot, for ${holdMs} ms`, ms, async () => {
    const first = await running(service, ALL);
    if (!exact(first, n)) return undefined;
    await new Promise((r) => setTimeout(r, holdMs));
    const again = await running(service, ALL);
    return exact(again, n) ? again : undefined;
  });
}

async function nodeReady(name: string): Promise<void> {
  await waitFor(`node ${name} ready`, 60000, () => json<NodeRow>('nodes').find((n) => n.name === name)?.status === 'ready');
}

/** MOVE_MS bounds how long replicas may take to move in a test; the measured figure is in BENCHMARKS.md. */
const MOVE_MS = 60000;

describe('lab: failure handling across 3 hosts', { skip, timeout: 1800000 }, () => {
  before(() => {
    const t0 = Date.now();
    lab('up', '3');
    log(`lab up in ${Date.now() - t0} ms`);
  }, { timeout: 180000 });

  after(() => {
    lab('down');
  }, { timeout: 120000 });

  test('a killed host has its replicas running on the other two', { timeout: 180000 }, async () => {
    ok('deploy', stackFile('ha', sleepService(6)), '--detach');
    const before = await settled('ha_app', 6, 60000, 500);
    const victim = hostsByLoad(before)[0]!;
    const others = ALL.filter((h) => h !== victim);
    const t0 = Date.now();
    lab('kill', String(victim));
    try {
      const after = await waitFor('6 replicas on the surviving hosts', MOVE_MS, async () => {
        const cs = await running('ha_app', others);
        return exact(cs, 6) ? cs : undefined;
      });
      log(`kill lab${victim}: 6 replicas on lab${others.join('+lab')} after ${Date.now() - t0} ms`);
      assert.equal(after.length, 6);
    } finally {
      // The host comes back empty (its containers died with it) and the stack stays at 6.
      lab('start', String(victim));
    }
    await nodeReady(`lab${victim}`);
    const end = await settled('ha_app', 6, MOVE_MS);
    assert.equal(end.filter((c) => c.host === victim).length, 0, 'the restarted host runs no stale replica');
  });

  test('a cut host that heals ends with exactly 6 replicas, none duplicated', { timeout: 180000 }, async () => {
    const before = await running('ha_app', ALL);
    const victim = hostsByLoad(before)[0]!;
    const others = ALL.filter((h) => h !== victim);
    const t0 = Date.now();
    lab('cut', String(victim));
    try {
      await waitFor('6 replicas on the connected hosts', MOVE_MS, async () => exact(await running('ha_app', others), 6));
      log(`cut lab${victim}: 6 replicas on lab${others.join('+lab')} after ${Date.now() - t0} ms`);
    } finally {
      lab('heal', String(victim));
    }
    const t1 = Date.now();
    await waitFor(`lab${victim} stops its stale replicas`, MOVE_MS, async () => (await running('ha_app', [victim])).length === 0);
    log(`heal lab${victim}: stale replicas stopped after ${Date.now() - t1} ms`);
    await nodeReady(`lab${victim}`);
    const end = await settled('ha_app', 6, MOVE_MS);
    const ps = json<TaskRow>('ps', 'ha_app').filter((t) => t.desiredState === 'running');
    assert.equal(ps.length, 6);
    assert.deepEqual(new Set(ps.map((t) => t.containerId.slice(0, 12))), new Set(end.map((c) => c.id.slice(0, 12))));
  });

  test('a restarted agent keeps its containers (same ids, same start times)', { timeout: 120000 }, async () => {
    const before = await running('ha_app', ALL);
    const host = hostsByLoad(before)[0]!;
    const mine = before.filter((c) => c.host === host).map((c) => `${c.id} ${c.startedAt}`).sort();
    assert.ok(mine.length > 0);
    lab('restart-agent', String(host));
    await nodeReady(`lab${host}`);
    await new Promise((r) => setTimeout(r, 2000));
    const after = await running('ha_app', ALL);
    assert.deepEqual(after.filter((c) => c.host === host).map((c) => `${c.id} ${c.startedAt}`).sort(), mine);
    assert.ok(exact(after, 6));
    assert.ok(json<TaskRow>('ps', 'ha_app').every((t) => t.desiredState !== 'running' || t.state === 'running'));
  });

  test('a drained node has its tasks moved, none lost; activate takes tasks again', { timeout: 120000 }, async () => {
    const before = await running('ha_app', ALL);
    const host = hostsByLoad(before)[0]!;
    ok('node', 'drain', `lab${host}`);
    try {
      assert.equal(json<NodeRow>('node', 'ls').find((n) => n.name === `lab${host}`)?.availability, 'drain');
      await waitFor(`lab${host} drained`, MOVE_MS, async () => {
        const cs = await running('ha_app', ALL);
        return cs.every((c) => c.host !== host) && exact(cs, 6);
      });
      const end = await settled('ha_app', 6, 30000, 1000);
      assert.ok(end.every((c) => c.host !== host));
    } finally {
      ok('node', 'activate', `lab${host}`);
    }
    assert.equal(json<NodeRow>('nodes').find((n) => n.name === `lab${host}`)?.availability, 'active');
    ok('rm', 'ha');
  });

  test('node.labels.zone==eu places only on the node labelled with cluster node label add', { timeout: 120000 }, async () => {
    const out = ok('node', 'label', 'add', 'lab2', 'zone=eu');
    assert.match(out, /zone=eu/);
    assert.deepEqual(json<NodeRow>('nodes').find((n) => n.name === 'lab2')?.labels, { zone: 'eu' });
    ok('deploy', stackFile('zoned', sleepService(3, ['node.labels.zone==eu'])), '--detach');
    try {
      const cs = await settled('zoned_app', 3, MOVE_MS, 1000);
      assert.deepEqual([...new Set(cs.map((c) => c.host))], [2]);
    } finally {
      ok('rm', 'zoned');
    }
  });

  test('an unplaceable task says why', { timeout: 90000 }, async () => {
    ok('node', 'drain', 'lab3');
    try {
      ok('deploy', stackFile('nowhere', sleepService(1, ['node.labels.zone==mars'])), '--detach');
      const task = await waitFor('the task to report why it is pending', 30000, () =>
        json<TaskRow>('ps', 'nowhere').find((t) => t.state === 'pending' && t.error !== ''));
      log(`unplaceable: ${task.error}`);
      assert.match(task.error, /no suitable node/);
      assert.match(task.error, /zone/);
      assert.match(task.error, /drained/);
      assert.equal((await running('nowhere_app', ALL)).length, 0);
    } finally {
      cli('rm', 'nowhere');
      ok('node', 'activate', 'lab3');
    }
    // Bad input gets one clear line and a non-zero exit.
    const bad = cli('node', 'drain', 'no-such-node');
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /not found/);
    assert.equal(bad.err.trim().split('\n').length, 1);
  });

  test('kill -9 of the manager during a deploy of 30 ends with exactly 30 and no orphans', { timeout: 300000 }, async () => {
    ok('deploy', stackFile('big', sleepService(30)), '--detach');
    await waitFor('the deploy to be under way', 60000, async () => (await running('big_app', ALL)).length >= 3);
    const pid = managerPid();
    process.kill(pid, 'SIGKILL');
    let t0: number;
    try {
      const midway = (await running('big_app', ALL)).length;
      log(`manager pid ${pid} killed with ${midway}/30 replicas running`);
      await waitFor('the manager to exit', 30000, () => !alive(pid));
    } finally {
      t0 = Date.now();
      restartManager();
    }
    const end = await settled('big_app', 30, 180000);
    log(`manager restarted: 30 replicas settled after ${Date.now() - t0} ms`);
    // The manager's view agrees with the engines: 30 tasks, all running.
    let tasks: TaskRow[] = [];
    const agreed = await waitFor('the manager to see 30 running tasks', 60000, () => {
      tasks = json<TaskRow>('ps', 'big');
      const l = tasks.filter((t) => t.desiredState === 'running');
      return l.length === 30 && l.every((t) => t.state === 'running');
    }).catch(() => false);
    const live = tasks.filter((t) => t.desiredState === 'running');
    const off = live.filter((t) => t.state !== 'running').map((t) => `${t.service}.${t.slot} on ${t.node}: ${t.state} ${t.error}`);
    assert.ok(agreed, `manager view: ${live.length} tasks desired running; not running: ${off.join('; ')}`);
    // No orphans: once the manager agrees, every container on the engines
    // belongs to a task it wants running, one per slot.
    const wanted = new Set(live.map((t) => t.id));
    const final = await settled('big_app', 30, MOVE_MS);
    assert.ok(end.length === 30);
    assert.deepEqual(final.filter((c) => !wanted.has(c.task)), []);
    assert.ok(json<NodeRow>('nodes').every((n) => n.status === 'ready'));
    assert.ok(tasks.every((t) => hostOf(t.node) >= 1));
    ok('rm', 'big');
  });
});
