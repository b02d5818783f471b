import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { LAB_DIR, REPO, engine, exact, inHost, json, lab, labSkip, labWith, ok, running, sleepService, stackFile, waitFor, type Container } from './lab.js';

// The engine fails under a live agent (deploy/lab/lab.sh kill-engine,
// stop-engine, restart-engine): real dockerds in network namespaces, the
// agent left running. Bounds are generous: how fast the replicas move is
// measured in BENCHMARKS.md, not asserted here.

const ALL = [1, 2, 3];
const skip = labSkip();
/**
 * ENGINE_GRACE_MS is the manager's engine grace period in this lab: twice the
 * default, so that an engine restarted in place on a loaded machine still
 * comes back within it.
 */
const ENGINE_GRACE_MS = 6000;

interface TaskRow { id: string; service: string; slot: number; node: string; desiredState: string; state: string; error: string; containerId: string }
interface NodeRow { id: string; name: string; status: string; statusMessage: string; engine: string; engineError: string }

function log(msg: string): void {
  process.stderr.write(`lab: ${msg}\n`);
}

function node(name: string): NodeRow | undefined {
  return json<NodeRow>('nodes').find((n) => n.name === name);
}

/** liveTasks are the ids of a service's tasks desired running, sorted. */
function liveTasks(stack: string): string[] {
  return json<TaskRow>('ps', stack).filter((t) => t.desiredState === 'running').map((t) => t.id).sort();
}

function busiest(cs: Container[]): number {
  const count = new Map<number, number>();
  for (const c of cs) count.set(c.host, (count.get(c.host) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

/** settled waits until exactly n replicas run (one per slot) on the hosts and stay so for holdMs. */
async function settled(service: string, n: number, hosts: number[], ms: number, holdMs = 3000): Promise<Container[]> {
  return waitFor(`exactly ${n} running ${service} replicas on lab${hosts.join('+lab')}, one per slot, for ${holdMs} ms`, ms, async () => {
    if (!exact(await running(service, hosts), n)) return undefined;
    await new Promise((r) => setTimeout(r, holdMs));
    const again = await running(service, hosts);
    return exact(again, n) ? again : undefined;
  });
}

async function nodeReady(name: string): Promise<void> {
  await waitFor(`node ${name} ready with its engine answering`, 60000, () => {
    const n = node(name);
    return n?.status === 'ready' && n.engine === 'ok';
  });
}

/** engineUp starts a host's engine again unless it answers; for finally blocks. */
function engineUp(k: number): void {
  try {
    lab('start-engine', String(k));
  } catch (err) {
    log(`start-engine lab${k}: ${(err as Error).message}`);
  }
}

describe('lab: the engine fails under a live agent', { skip, timeout: 900000 }, () => {
  before(() => {
    labWith({ LAB_ENGINE_GRACE_MS: String(ENGINE_GRACE_MS) }, 'up', '3');
    ok('deploy', stackFile('eng', sleepService(6)), '--detach');
  }, { timeout: 180000 });

  after(() => {
    lab('down');
  }, { timeout: 120000 });

  test('an engine killed under a live agent: its replicas run elsewhere and the node says why; back, exactly 6 run', { timeout: 240000 }, async () => {
    const before = await settled('eng_app', 6, ALL, 90000, 500);
    const victim = busiest(before);
    const others = ALL.filter((h) => h !== victim);
    const t0 = Date.now();
    lab('kill-engine', String(victim));
    try {
      await waitFor('6 replicas on the other hosts', 60000, async () => exact(await running('eng_app', others), 6));
      log(`kill-engine lab${victim}: 6 replicas on lab${others.join('+lab')} after ${Date.now() - t0} ms`);
      const shown = await waitFor(`lab${victim} shown down for its engine`, 30000, () => {
        const n = node(`lab${victim}`);
        return n?.status === 'down' ? n : undefined;
      });
      assert.match(shown.statusMessage, /^engine unreachable: /);
      assert.equal(shown.engine, 'unreachable');
      assert.notEqual(shown.engineError, '');
      assert.match(ok('nodes'), new RegExp(`lab${victim} .*down \\(engine unreachable: `));
    } finally {
      engineUp(victim);
    }
    await nodeReady(`lab${victim}`);
    const end = await settled('eng_app', 6, ALL, 60000);
    const live = json<TaskRow>('ps', 'eng').filter((t) => t.desiredState === 'running');
    assert.equal(live.length, 6);
    assert.deepEqual(new Set(live.map((t) => t.containerId.slice(0, 12))), new Set(end.map((c) => c.id.slice(0, 12))));
  });

  test('an engine restarted in place within the grace period replaces nothing', { timeout: 120000 }, async () => {
    const before = await settled('eng_app', 6, ALL, 60000, 500);
    const host = busiest(before);
    const tasks = liveTasks('eng');
    const mine = before.filter((c) => c.host === host).map((c) => c.id).sort();
    lab('restart-engine', String(host));
    await nodeReady(`lab${host}`);
    // Longer than the manager's engine grace period: a replacement would have been made by now.
    await new Promise((r) => setTimeout(r, ENGINE_GRACE_MS + 3000));
    assert.deepEqual(liveTasks('eng'), tasks, 'the same tasks, none replaced');
    const after = await settled('eng_app', 6, ALL, 30000, 500);
    assert.deepEqual(after.filter((c) => c.host === host).map((c) => c.id).sort(), mine, 'the same containers kept running');
  });

  test('an engine away past the grace period with its containers alive: replaced elsewhere, the survivors stopped once it is back', { timeout: 240000 }, async () => {
    const before = await settled('eng_app', 6, ALL, 60000, 500);
    const victim = busiest(before);
    const others = ALL.filter((h) => h !== victim);
    lab('stop-engine', String(victim));
    try {
      await waitFor('6 replicas on the other hosts', 60000, async () => exact(await running('eng_app', others), 6));
    } finally {
      engineUp(victim);
    }
    await waitFor(`lab${victim} stops the containers that survived`, 60000, async () => (await running('eng_app', [victim])).length === 0);
    await nodeReady(`lab${victim}`);
    await settled('eng_app', 6, ALL, 60000);
    assert.equal(liveTasks('eng').length, 6);
  });

  test('a hung engine call fails its task with the reason, and the node stays ready', { timeout: 240000 }, async () => {
    const host = 3;
    const proxySocket = join(LAB_DIR, 'stuck-engine.sock');
    let proxy: ChildProcess | undefined;
    try {
      proxy = spawn(process.execPath, [join(REPO, 'test/dist/lab/stuckProxy.js'), proxySocket, `/run/clab/host${host}.sock`], { stdio: 'ignore' });
      lab('restart-agent', String(host), '--docker-host', `unix://${proxySocket}`, '--engine-timeout-ms', '3000');
      await nodeReady(`lab${host}`);
      ok('deploy', stackFile('hung', sleepService(1, [`node.hostname==lab${host}`])), '--detach');
      let wentDown = '';
      const failed = await waitFor('the task whose start hangs to fail with the reason', 90000, () => {
        const n = node(`lab${host}`);
        if (n && (n.status !== 'ready' || n.engine !== 'ok')) wentDown ||= `${n.status} ${n.statusMessage} ${n.engineError}`;
        return json<TaskRow>('ps', 'hung', '--all').find((t) => t.state === 'failed' && t.error !== '');
      });
      log(`hung start: ${failed.error}`);
      assert.match(failed.error, /start container .*no answer from the engine within 3000 ms/);
      // Heartbeats went on all the while: the node never left ready.
      assert.equal(wentDown, '', `lab${host} was ${wentDown}`);
      const n = node(`lab${host}`);
      assert.equal(n?.status, 'ready');
      assert.equal(n?.engine, 'ok');
    } finally {
      ok('rm', 'hung', '--detach');
      proxy?.kill('SIGKILL');
      lab('restart-agent', String(host));
    }
    await nodeReady(`lab${host}`);
    await settled('eng_app', 6, ALL, 60000, 500);
  });

  test('what a killed agent leaves (containers, stack networks, loopback addresses, netfilter chains) is cleaned by the next agent; cluster rm leaves no network on any node', { timeout: 240000 }, async () => {
    const host = 2;
    const yaml = 'services:\n  web:\n    image: cluster-test/busybox:latest\n    command: ["sleep", "86400"]\n    stop_grace_period: 1s\n    ports: ["8089:80"]\n    deploy:\n      replicas: 3\n';
    ok('deploy', stackFile('left', yaml), '--detach');
    await waitFor('a replica of left_web on every host', 60000, async () => new Set((await running('left_web', ALL)).map((c) => c.host)).size === 3);
    const loopback = (): string[] => inHost(host, 'ip', '-4', '-o', 'addr', 'show', 'dev', 'lo').out.split('\n').map((l) => /inet (10\.233\.\d+\.\d+)\//.exec(l)?.[1]).filter((a): a is string => a !== undefined && a !== '10.233.0.1');
    await waitFor(`the service's VIP on lab${host}'s loopback`, 30000, () => loopback().length > 0);
    const networks = async (k: number, stack: string): Promise<string[]> => (await engine(k).listNetworks({ filters: { label: [`cluster.stack=${stack}`] } })).map((n) => n.Name);
    // Chains of an agent killed before (another node id), with a jump of its dead pid, as a killed agent leaves them.
    const dead = 'cluster agent pid 4194303';
    inHost(host, 'iptables', '-N', 'CLUSTER-killedbefore-IN');
    inHost(host, 'iptables', '-t', 'nat', '-N', 'CLUSTER-killedbefore-NAT');
    inHost(host, 'iptables', '-t', 'nat', '-N', 'CLUSTER-killedbefore-KNL');
    inHost(host, 'iptables', '-t', 'nat', '-A', 'CLUSTER-killedbefore-NAT', '-j', 'CLUSTER-killedbefore-KNL');
    inHost(host, 'iptables', '-I', 'INPUT', '1', '-m', 'comment', '--comment', dead, '-j', 'CLUSTER-killedbefore-IN');
    lab('kill-agent', String(host));
    try {
      ok('rm', 'left');
      // Left behind on the host whose agent is dead: its container, the stack's network, the VIP, the chains.
      assert.equal((await engine(host).listContainers({ all: true, filters: { label: ['cluster.stack=left'] } })).length, 1);
      assert.deepEqual(await networks(host, 'left'), ['left_default']);
      assert.ok(loopback().length > 0);
    } finally {
      lab('start-agent', String(host));
    }
    const nodeId = node(`lab${host}`)!.id;
    const own = nodeId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12);
    const chains = (): string[] => ['filter', 'nat'].flatMap((t) => inHost(host, 'iptables', '-t', t, '-S').out.split('\n').filter((l) => l.startsWith('-N CLUSTER-')).map((l) => l.slice(3)));
    await waitFor(`lab${host} clean: no container, network, VIP or foreign chain left`, 60000, async () => {
      const containers = await engine(host).listContainers({ all: true, filters: { label: ['cluster.stack=left'] } });
      return containers.length === 0 && (await networks(host, 'left')).length === 0 && loopback().length === 0 && chains().every((c) => c.startsWith(`CLUSTER-${own}-`));
    });
    assert.doesNotMatch(inHost(host, 'iptables', '-S').out, new RegExp(dead));
    // No network of the removed stack on any node.
    for (const k of ALL) assert.deepEqual(await networks(k, 'left'), [], `lab${k}`);
    await nodeReady(`lab${host}`);
    await settled('eng_app', 6, ALL, 60000, 500);
  });
});
