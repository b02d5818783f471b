import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { execIn, execOn, hostOf, inHost, json, lab, labSkip, ok, engine, stackFile, waitFor } from './lab.js';

// The overlay in the lab (3 hosts): stacks written as people write them — a
// database with no `ports:`, a service with `expose:` only, a port declared
// nowhere, UDP — reached across hosts by name, with real engines and the
// kernel's VXLAN. Traffic stays on lab addresses and inside containers.

const skip = labSkip();

interface TaskRow { service: string; node: string; state: string; desiredState: string; containerId: string }

const on = (host: string): string => `    deploy:\n      placement:\n        constraints: ["node.hostname==${host}"]\n`;

// db listens on 5432 and publishes nothing; cache lists only `expose:`; odd
// listens on a port no file mentions; dns answers UDP; blob serves 16 MB.
const SHOP = `services:
  db:
    image: cluster-test/busybox:latest
    command: ["sh", "-c", "while true; do echo db-pong | nc -l -p 5432; done"]
    stop_grace_period: 1s
${on('lab1')}  cache:
    image: cluster-test/busybox:latest
    command: ["sh", "-c", "while true; do echo cache-pong | nc -l -p 6379; done"]
    expose: ["6379"]
    stop_grace_period: 1s
${on('lab3')}  odd:
    image: cluster-test/busybox:latest
    command: ["sh", "-c", "while true; do echo odd-pong | nc -l -p 47123; done"]
    stop_grace_period: 1s
${on('lab1')}  udp:
    image: cluster-test/busybox:latest
    command: ["sleep", "86400"]
    stop_grace_period: 1s
${on('lab3')}  blob:
    image: cluster-test/busybox:latest
    command: ["sh", "-c", "mkdir -p /www && dd if=/dev/urandom of=/www/blob bs=1M count=16 2>/dev/null && md5sum /www/blob | cut -d' ' -f1 > /tmp/blob.md5 && exec httpd -f -p 9000 -h /www"]
    stop_grace_period: 1s
${on('lab1')}  web:
    image: cluster-test/busybox:latest
    command: ["sleep", "86400"]
    stop_grace_period: 1s
${on('lab2')}`;

// mover runs on lab1 or lab3; when its host dies it must answer at its name again from the other one.
const MOVER = `services:
  mover:
    image: cluster-test/busybox:latest
    command: ["sh", "-c", "while true; do hostname | nc -l -p 7000; done"]
    stop_grace_period: 1s
    deploy:
      placement:
        constraints: ["node.hostname!=lab2"]
  client:
    image: cluster-test/busybox:latest
    command: ["sleep", "86400"]
    stop_grace_period: 1s
${on('lab2')}`;

function log(msg: string): void {
  process.stderr.write(`lab overlay: ${msg}\n`);
}

function running(service: string): TaskRow[] {
  return json<TaskRow>('ps', service).filter((r) => r.state === 'running' && r.desiredState === 'running');
}

/** inWeb runs a shell command in the shop's web container on lab2. */
function inWeb(cmd: string): Promise<{ code: number; out: string }> {
  return execOn(2, 'shop_web', cmd);
}

/** ask connects from web to NAME:PORT over TCP and returns what the server said (retried: the registry reaches lab2 within a second). */
async function ask(target: string, port: number, expect: string): Promise<string> {
  return waitFor(`${target}:${port} from lab2`, 30000, async () => {
    const r = await inWeb(`echo hi | nc -w 3 ${target} ${port}`);
    return r.out.includes(expect) ? r.out : undefined;
  });
}

describe('lab: every port of every service across hosts (overlay)', { skip, timeout: 900000 }, () => {
  before(async () => {
    lab('up', '3');
    ok('deploy', stackFile('shop', SHOP), '--name', 'shop', '--timeout', '120s');
    log('shop deployed');
  }, { timeout: 240000 });

  after(() => {
    lab('down');
  }, { timeout: 120000 });

  test('web on lab2 reaches a db with no ports on lab1 by name, VIP and task address', async () => {
    assert.equal(running('shop_db')[0]?.node, 'lab1');
    assert.equal(running('shop_web')[0]?.node, 'lab2');
    assert.match(await ask('db', 5432, 'db-pong'), /db-pong/);
    assert.match(await ask('db.shop', 5432, 'db-pong'), /db-pong/);
    assert.match(await ask('shop_db', 5432, 'db-pong'), /db-pong/);
    const ns = await inWeb('nslookup tasks.db');
    const addr = /Address: (10\.1(?:2[89]|[3-8]\d|9[01])\.\d+\.\d+)/.exec(ns.out)?.[1];
    assert.ok(addr, `tasks.db gives an overlay address: ${ns.out}`);
    assert.match(await ask(addr, 5432, 'db-pong'), /db-pong/);
  });

  test('a service with expose: only, and a port declared nowhere, answer across hosts', async () => {
    assert.match(await ask('cache', 6379, 'cache-pong'), /cache-pong/);
    assert.equal(running('shop_odd')[0]?.node, 'lab1');
    assert.match(await ask('odd', 47123, 'odd-pong'), /odd-pong/);
  });

  test('a UDP service on lab3 answers a datagram from lab2 by name', { timeout: 120000 }, async () => {
    // busybox has no UDP server: a UDP echo runs in the udp container's own network namespace (the host's node, nsenter).
    const udp = running('shop_udp')[0];
    const web = running('shop_web')[0];
    assert.ok(udp && web);
    assert.equal(udp.node, 'lab3');
    const pidOf = async (node: string, id: string): Promise<number> => (await engine(hostOf(node)).getContainer(id).inspect()).State.Pid;
    const server = spawn('nsenter', [`--net=/proc/${await pidOf(udp.node, udp.containerId)}/ns/net`, process.execPath, '-e',
      "const s=require('node:dgram').createSocket('udp4');s.on('message',(m,r)=>s.send('udp-pong '+m,r.port,r.address));s.bind(5353);setTimeout(()=>process.exit(0),110000)"], { stdio: 'ignore' });
    try {
      // The name resolves in the web container; the datagram leaves from the web container's network namespace.
      const vip = /Name:\s*udp\s+Address(?: \d+)?:\s*(10\.233\.\d+\.\d+)/.exec((await inWeb('nslookup udp')).out)?.[1];
      assert.ok(vip, 'udp resolves to its VIP');
      const webPid = await pidOf(web.node, web.containerId);
      const out = await waitFor('an answer to a datagram sent to udp:5353', 30000, () => {
        const r = spawnSync('nsenter', [`--net=/proc/${webPid}/ns/net`, process.execPath, '-e',
          `const s=require('node:dgram').createSocket('udp4');s.on('message',(m)=>{console.log(String(m));process.exit(0)});s.send('ping',5353,'${vip}');setTimeout(()=>process.exit(1),2000)`], { encoding: 'utf8', timeout: 5000 });
        return r.stdout.includes('udp-pong') ? r.stdout : undefined;
      });
      assert.match(out, /udp-pong ping/);
    } finally {
      server.kill('SIGKILL');
    }
  });

  test('16 MB cross the overlay intact (the MTU leaves room for the encapsulation)', { timeout: 120000 }, async () => {
    const want = (await execOn(1, 'shop_blob', 'cat /tmp/blob.md5')).out;
    assert.match(want, /^[0-9a-f]{32}$/);
    const got = await waitFor('16 MB from blob', 60000, async () => {
      const r = await inWeb('wget -q -O - http://blob:9000/blob | md5sum | cut -d" " -f1');
      return r.out === want ? r.out : undefined;
    });
    assert.equal(got, want);
    const mtu = inHost(2, 'ip', '-o', 'link', 'show', 'type', 'vxlan').out;
    assert.match(mtu, /clvx\d+.*mtu 1450/);
  });

  test('the VXLAN port takes datagrams from cluster nodes only', () => {
    const rules = inHost(1, 'iptables', '-w', '-S').out;
    assert.match(rules, /-A CLUSTER-[a-z0-9]+-VXL -s 10\.231\.0\.12\/32 -p udp -m udp --dport 4789 -j RETURN/);
    assert.match(rules, /-A CLUSTER-[a-z0-9]+-VXL -p udp -m udp --dport 4789 -j DROP/);
    assert.match(rules, /-A INPUT -m comment --comment "cluster agent pid \d+" -j CLUSTER-[a-z0-9]+-VXL/);
  });

  test('an agent restarted on either side rebuilds the overlay; a removed task leaves the other hosts\' tables', { timeout: 240000 }, async () => {
    for (const k of [2, 1]) {
      lab('restart-agent', String(k));
      assert.match(await ask('db', 5432, 'db-pong'), /db-pong/, `after restarting lab${k}'s agent`);
    }
    // odd runs on lab1; web's host (lab2) has a neighbour entry for it until it is removed.
    const odd = running('shop_odd')[0];
    assert.ok(odd);
    const info = await engine(1).getContainer(odd.containerId).inspect();
    const oddAddr = info.NetworkSettings.Networks['shop_default']?.IPAddress ?? '';
    assert.match(oddAddr, /^10\./);
    // The overlay's own entries (on the VXLAN device), not the host's ARP cache of its bridge.
    const neigh = (): string => inHost(2, 'ip', 'neigh', 'show', oddAddr).out.split('\n').filter((l) => / dev clvx\d+ /.test(l)).join('\n');
    await waitFor(`lab2 knows ${oddAddr}`, 30000, () => /lladdr .* PERMANENT/.test(neigh()));
    ok('scale', 'shop_odd=0');
    await waitFor(`lab2 forgets ${oddAddr}`, 30000, () => neigh() === '');
    ok('scale', 'shop_odd=1');
  });

  test('a replica moved off a killed host answers at its name again', { timeout: 300000 }, async () => {
    ok('deploy', stackFile('move', MOVER), '--name', 'move', '--timeout', '90s');
    const first = running('move_mover')[0];
    assert.ok(first, 'mover runs');
    const k = hostOf(first.node);
    const client = (): Promise<{ code: number; out: string }> => execOn(2, 'move_client', 'echo hi | nc -w 3 mover 7000');
    const before = await waitFor('mover answers', 30000, async () => ((await client()).out.trim() || undefined));
    log(`mover answers from ${before} on lab${k}; killing lab${k}`);
    lab('kill', String(k));
    try {
      const other = k === 1 ? 'lab3' : 'lab1';
      await waitFor(`mover running on ${other}`, 60000, () => running('move_mover').some((t) => t.node === other));
      const after = await waitFor('mover answers from its new host', 60000, async () => {
        const out = (await client()).out.trim();
        return out !== '' && out !== before ? out : undefined;
      });
      assert.notEqual(after, before);
    } finally {
      lab('start', String(k));
    }
  });

  test('two stacks on three hosts cannot reach each other, and can over a shared external network', { timeout: 240000 }, async () => {
    const other = `services:
  spy:
    image: cluster-test/busybox:latest
    command: ["sleep", "86400"]
    stop_grace_period: 1s
${on('lab3')}`;
    ok('deploy', stackFile('other', other), '--name', 'other', '--timeout', '90s');
    // The db's overlay address, as web sees it: another stack reaches neither it nor the name.
    const ns = await inWeb('nslookup tasks.db');
    const addr = /Address: (10\.1(?:2[89]|[3-8]\d|9[01])\.\d+\.\d+)/.exec(ns.out)?.[1];
    assert.ok(addr, ns.out);
    const spy = await execOn(3, 'other_spy', `echo hi | nc -w 3 ${addr} 5432; echo rc=$?; nslookup db 2>&1 | tail -2`);
    assert.doesNotMatch(spy.out, /db-pong/, spy.out);
    // Two stacks that both list an external network reach each other over it, across hosts.
    const a = `services:
  api:
    image: cluster-test/busybox:latest
    command: ["sh", "-c", "while true; do echo api-pong | nc -l -p 8181; done"]
    stop_grace_period: 1s
    networks: [shared]
${on('lab1')}networks:
  shared:
    external: true
`;
    const b = `services:
  caller:
    image: cluster-test/busybox:latest
    command: ["sleep", "86400"]
    stop_grace_period: 1s
    networks: [shared]
${on('lab3')}networks:
  shared:
    external: true
`;
    ok('deploy', stackFile('ea', a), '--name', 'ea', '--timeout', '90s');
    ok('deploy', stackFile('eb', b), '--name', 'eb', '--timeout', '90s');
    const out = await waitFor('api from eb over the shared network', 30000, async () => {
      const r = await execOn(3, 'eb_caller', 'echo hi | nc -w 3 api.ea 8181');
      return r.out.includes('api-pong') ? r.out : undefined;
    });
    assert.match(out, /api-pong/);
    // And by the api's own overlay address on the shared network, on a port declared nowhere.
    const c = running('ea_api')[0];
    assert.ok(c);
    const info = await engine(hostOf(c.node)).getContainer(c.containerId).inspect();
    const apiAddr = info.NetworkSettings.Networks['shared']?.IPAddress ?? '';
    assert.match(apiAddr, /^10\./);
    const direct = await execIn(engine(3).getContainer(running('eb_caller')[0]!.containerId), `echo hi | nc -w 3 ${apiAddr} 8181`);
    assert.match(direct.out, /api-pong/);
  });
});
