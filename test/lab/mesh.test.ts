import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { hostOf, httpGet as get, json, lab, labSkip, ok, engine, execIn as execInContainer, stackFile, waitFor } from './lab.js';

// Names across hosts in the lab (deploy/lab/lab.sh, 3 hosts): DNS, the VIP
// proxy, the routing mesh, failover and stack isolation, with real engines.
// Traffic goes only to lab addresses (10.231.0.x) and inside containers.

const skip = labSkip();
const HOSTS = [1, 2, 3];
const addr = (k: number): string => `10.231.0.${10 + k}`;

interface TaskRow { service: string; node: string; state: string; desiredState: string; containerId: string }

function log(msg: string): void {
  process.stderr.write(`lab mesh: ${msg}\n`);
}

const MESH = `services:
  web:
    image: cluster-test/busybox:latest
    command: ["sh", "-c", "hostname > /tmp/index.html && exec httpd -f -p 80 -h /tmp"]
    ports: ["8080:80"]
    stop_grace_period: 2s
    deploy:
      replicas: 2
      placement:
        constraints: ["node.hostname!=lab2"]
  pinned:
    image: cluster-test/busybox:latest
    command: ["sh", "-c", "echo pinned > /tmp/index.html && hostname > /tmp/who && exec httpd -f -p 80 -h /tmp"]
    ports: ["80"]
    stop_grace_period: 1s
    deploy:
      placement:
        constraints: ["node.hostname==lab1"]
  client:
    image: cluster-test/busybox:latest
    command: ["sleep", "86400"]
    stop_grace_period: 1s
    deploy:
      placement:
        constraints: ["node.hostname==lab2"]
  near:
    image: cluster-test/busybox:latest
    command: ["sleep", "86400"]
    stop_grace_period: 1s
    deploy:
      placement:
        constraints: ["node.hostname==lab1"]
`;

const OTHER = `services:
  client:
    image: cluster-test/busybox:latest
    command: ["sleep", "86400"]
    stop_grace_period: 1s
    deploy:
      placement:
        constraints: ["node.hostname==lab2"]
`;

/** execIn runs a shell command in a task's container on its host (lab.ts's bounds). */
async function execIn(service: string, cmd: string): Promise<{ code: number; out: string }> {
  const t = json<TaskRow>('ps', service).find((r) => r.state === 'running' && r.desiredState === 'running');
  if (!t) throw new Error(`no running task of ${service}`);
  return execInContainer(engine(hostOf(t.node)).getContainer(t.containerId), cmd);
}

/** overlayDnats sums the packets of the overlay's DNAT rules to `vip` on lab host k (one per new connection: nat sees only the first packet). */
function overlayDnats(k: number, vip: string): number {
  const ns = `clab-host${k}`;
  const listing = execFileSync('ip', ['netns', 'exec', ns, 'iptables', '-w', '-t', 'nat', '-S'], { encoding: 'utf8' });
  const chains = [...listing.matchAll(new RegExp(`-A CLUSTER-[a-z0-9]+-OVL .*-d ${vip.replace(/\./g, '\\.')}/32 .*-j (\\S+)`, 'g'))].map((m) => m[1] as string);
  if (chains.length === 0) throw new Error(`no overlay chain for ${vip} on lab${k}`);
  let sum = 0;
  for (const chain of chains) {
    const out = execFileSync('ip', ['netns', 'exec', ns, 'iptables', '-w', '-t', 'nat', '-L', chain, '-v', '-n', '-x'], { encoding: 'utf8' });
    for (const line of out.split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f[2] === 'DNAT') sum += Number(f[0]);
    }
  }
  return sum;
}

function running(service: string): TaskRow[] {
  return json<TaskRow>('ps', service).filter((r) => r.state === 'running' && r.desiredState === 'running');
}

describe('lab: names across hosts', { skip, timeout: 600000 }, () => {
  before(async () => {
    const t0 = Date.now();
    lab('up', '3');
    ok('deploy', stackFile('mesh', MESH), '--name', 'mesh', '--timeout', '90s');
    ok('deploy', stackFile('other', OTHER), '--name', 'other', '--timeout', '60s');
    // Every host's mesh listens once the registry reached it.
    for (const k of HOSTS) await waitFor(`published port on lab${k}`, 20000, () => get(addr(k), 8080).then(() => true, () => false));
    log(`lab up and stacks deployed in ${Date.now() - t0} ms`);
  }, { timeout: 240000 });

  after(() => {
    lab('down');
  }, { timeout: 120000 });

  test('a client on lab2 reaches a service pinned to lab1 by name', async () => {
    assert.equal(running('mesh_pinned')[0]?.node, 'lab1');
    assert.equal(running('mesh_client')[0]?.node, 'lab2');
    for (const name of ['pinned', 'pinned.mesh']) {
      const r = await execIn('mesh_client', `wget -q -O - http://${name}/`);
      assert.equal(r.out, 'pinned', `${name}: ${r.out}`);
    }
  });

  test('tasks.pinned gives one address per serving replica, each reaching its replica; scaling down shrinks it', { timeout: 120000 }, async () => {
    /** taskAddresses resolves tasks.pinned on the client on lab2. */
    const taskAddresses = async (): Promise<string[]> => {
      const ns = await execIn('mesh_client', 'nslookup tasks.pinned');
      // The replicas' own addresses on the stack's network (the overlay), or task addresses for a client off the overlay.
      return [...new Set([...ns.out.matchAll(/Address(?: \d+)?:\s*(10\.(?:23[45]|1(?:2[89]|[3-8]\d|9[01]))\.\d+\.\d+)/g)].map((m) => m[1] as string))].sort();
    };
    /** hostnames are the hostnames of the running replicas' containers, as the engine of lab1 has them. */
    const hostnames = async (): Promise<string[]> => {
      const out: string[] = [];
      for (const t of running('mesh_pinned')) out.push((await engine(hostOf(t.node)).getContainer(t.containerId).inspect()).Config.Hostname);
      return out.sort();
    };
    const whoAt = async (address: string): Promise<string> => (await execIn('mesh_client', `wget -q -O - http://${address}/who`)).out;

    ok('scale', 'mesh_pinned=2');
    let two: string[];
    try {
      await waitFor('2 running pinned replicas on lab1', 60000, () => running('mesh_pinned').length === 2);
      assert.deepEqual(running('mesh_pinned').map((t) => t.node), ['lab1', 'lab1']);
      two = await waitFor('tasks.pinned with 2 addresses', 20000, async () => {
        const a = await taskAddresses();
        return a.length === 2 ? a : undefined;
      });
      const names = await hostnames();
      const seen = new Map<string, string>();
      for (const a of two) for (let i = 0; i < 2; i++) {
        const who = await whoAt(a);
        assert.equal(seen.get(a) ?? who, who, `${a} answered from two replicas`);
        seen.set(a, who);
      }
      log(`tasks.pinned: ${JSON.stringify([...seen])}; replicas ${names.join(', ')}`);
      assert.deepEqual([...seen.values()].sort(), names, 'each address reaches a different replica');

      // Another stack neither resolves them nor reaches them.
      const other = await execIn('other_client', `nslookup tasks.pinned.mesh; wget -q -O - http://${two[0]}/who`);
      assert.doesNotMatch(other.out, new RegExp(names.join('|')), other.out);
      assert.notEqual(other.code, 0);
    } finally {
      // The tests after this one expect one pinned replica.
      ok('scale', 'mesh_pinned=1');
    }
    const one = await waitFor('tasks.pinned with 1 address', 30000, async () => {
      const a = await taskAddresses();
      return a.length === 1 ? a : undefined;
    });
    assert.ok(two.includes(one[0]!), `the remaining replica keeps its address: ${one[0]} of ${two.join(', ')}`);
    assert.deepEqual([await whoAt(one[0]!)], await hostnames());
    // The stopped replica's own address answers until its container is gone (it drains for 500 ms, then gets its grace period).
    const gone = two.find((a) => a !== one[0])!;
    await waitFor('the address of the stopped replica to stop answering', 30000, async () => (await execIn('mesh_client', `wget -q -O - http://${gone}/who`)).code !== 0);
  });

  test('a VIP is balanced in the kernel over the local and the remote replica, and a task is reached at its own address', async () => {
    const local = running('mesh_web').find((t) => t.node === 'lab1');
    assert.ok(local, 'a web replica on lab1');
    // On lab1 the engine's own DNS answers `web` with the local container's alias: ask on lab2 for the VIP.
    const ns = await execIn('mesh_client', 'nslookup web');
    const vip = /Address(?: \d+)?:\s*(10\.233\.\d+\.\d+)/.exec(ns.out)?.[1];
    assert.ok(vip, `no VIP in: ${ns.out}`);
    const before = overlayDnats(1, vip);
    const r = await execIn('mesh_near', `for i in $(seq 24); do wget -q -O - http://${vip}/; done`);
    const answers = r.out.split(/\s+/).filter((l) => l !== '');
    assert.equal(answers.length, 24, r.out);
    const fromLocal = answers.filter((h) => local.containerId.startsWith(h)).length;
    const dnats = overlayDnats(1, vip) - before;
    log(`24 requests to web from lab1: ${fromLocal} answered by the lab1 replica, ${dnats} DNATed in lab1's kernel`);
    assert.ok(fromLocal > 0 && fromLocal < 24, `both replicas answer: ${answers.join(' ')}`);
    // Every connection to the VIP was balanced by the kernel of the client's host, to the local and to the remote replica alike.
    assert.equal(dnats, 24);

    // A replica's own address (tasks.pinned) reaches that replica, with no proxy in between.
    const task = /Address(?: \d+)?:\s*(10\.\d+\.\d+\.\d+)/.exec((await execIn('mesh_client', 'nslookup tasks.pinned')).out.split('Name:')[1] ?? '')?.[1];
    assert.ok(task, 'an address of tasks.pinned');
    const who = await execIn('mesh_near', `wget -q -O - http://${task}/who`);
    const pinned = running('mesh_pinned').map((t) => t.containerId);
    assert.ok(who.out !== '' && pinned.some((id) => id.startsWith(who.out)), `${task} answered ${who.out}`);
  });

  test('a published port answers on all 3 hosts, from replicas on lab1 and lab3', async () => {
    const seen = new Set<string>();
    for (const k of HOSTS) for (let i = 0; i < 4; i++) seen.add(await get(addr(k), 8080));
    assert.equal(seen.size, 2, `answers from ${[...seen].join(', ')}`);
    // A container on lab1 reaches the published port through lab1's listener (not the kernel path), which balances it over both replicas, the local one included.
    const local = running('mesh_web').find((t) => t.node === 'lab1');
    assert.ok(local, 'a web replica on lab1');
    const r = await execIn('mesh_near', `for i in $(seq 16); do wget -q -O - http://${addr(1)}:8080/; done`);
    const answers = r.out.split(/\s+/).filter((l) => l !== '');
    assert.equal(answers.length, 16, r.out);
    const fromLocal = answers.filter((h) => local.containerId.startsWith(h)).length;
    log(`16 requests to ${addr(1)}:8080 from a container on lab1: ${fromLocal} answered by the lab1 replica`);
    assert.ok(fromLocal > 0 && fromLocal < 16, `both replicas answer: ${answers.join(' ')}`);
  });

  test('a service of another stack neither resolves nor reaches mesh services', async () => {
    const ns = await execIn('mesh_client', 'nslookup pinned');
    const vip = /Address(?: \d+)?:\s*(10\.233\.\d+\.\d+)/.exec(ns.out)?.[1];
    assert.ok(vip, `no VIP in: ${ns.out}`);
    const name = await execIn('other_client', 'nslookup pinned; nslookup pinned.mesh');
    assert.doesNotMatch(name.out, /10\.233\./, name.out);
    const reach = await execIn('other_client', `wget -q -O - http://${vip}/`);
    assert.notEqual(reach.out, 'pinned');
    assert.notEqual(reach.code, 0);
  });

  test('1,000 requests through the mesh while one of two replicas stops gracefully lose none', { timeout: 120000 }, async () => {
    let failed = 0;
    const errors = new Map<string, number>();
    const t0 = Date.now();
    for (let i = 0; i < 1000 && Date.now() - t0 < 90000; i++) {
      if (i === 300) ok('scale', 'mesh_web=1');
      try {
        await get(addr((i % 3) + 1), 8080);
      } catch (err) {
        failed++;
        const m = (err as Error).message;
        errors.set(m, (errors.get(m) ?? 0) + 1);
      }
    }
    log(`1000 requests in ${Date.now() - t0} ms with a replica stopping: ${failed} failed ${JSON.stringify([...errors])}`);
    assert.equal(failed, 0);
    ok('scale', 'mesh_web=2');
    await waitFor('2 web endpoints', 20000, async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 6; i++) seen.add(await get(addr(2), 8080));
      return seen.size === 2;
    });
  });

  test('killing the host of one replica: traffic continues through the other', { timeout: 120000 }, async () => {
    const victim = hostOf(running('mesh_web').find((t) => t.node !== 'lab1')?.node ?? 'lab3');
    const survivor = HOSTS.find((k) => k !== victim && k !== 1) ?? 2;
    lab('kill', String(victim));
    try {
      const t0 = Date.now();
      let failed = 0;
      const errors = new Map<string, number>();
      for (let i = 0; i < 200; i++) {
        await get(addr(survivor), 8080).catch((err: Error) => {
          failed++;
          errors.set(err.message, (errors.get(err.message) ?? 0) + 1);
        });
      }
      log(`kill lab${victim}: 200 requests through lab${survivor} in ${Date.now() - t0} ms, ${failed} failed ${JSON.stringify([...errors])}`);
      assert.equal(failed, 0);
    } finally {
      lab('start', String(victim));
    }
  });
});
