import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addrOf, alive, engine, execIn, httpGet as get, execOn, inHost, json, lab, LAB_DIR, labSkip, ok, stackFile, waitFor } from './lab.js';

// Stack isolation in the lab (deploy/lab/lab.sh, 3 hosts): containers reach
// task host ports of no stack straight, on the same host or across hosts,
// while names, VIPs, published and `mode: host` ports work; two stacks on one
// external network see each other across hosts, a third does not. Traffic
// goes only to lab addresses (10.231.0.x) and inside containers.
//
// A container reaches a host port of its own host by one of two paths,
// depending on the engine's configuration: with the userland proxy (the
// default) the engine's nat rules skip traffic from its bridges, which
// `docker-proxy` takes (INPUT); without it (lab3 here) the engine would DNAT
// it to the task (FORWARD), which the agent's nat chain prevents so that it
// meets the refusal in INPUT. Both are tested, and a third: to another host.

const skip = labSkip();

function log(msg: string): void {
  process.stderr.write(`lab isolation: ${msg}\n`);
}

const httpd = (body: string): string => `["sh", "-c", "echo ${body} > /tmp/index.html && exec httpd -f -p 80 -h /tmp"]`;
const on = (host: string): string => `    deploy:\n      placement:\n        constraints: ["node.hostname==${host}"]\n`;
const sleeper = (name: string, host: string, extra = ''): string =>
  `  ${name}:\n    image: cluster-test/busybox:latest\n    command: ["sleep", "86400"]\n    stop_grace_period: 1s\n${extra}${on(host)}`;

const ISOA = `services:
  web:
    image: cluster-test/busybox:latest
    command: ${httpd('web-a')}
    ports: ["8081:80"]
${on('lab1')}  edge:
    image: cluster-test/busybox:latest
    command: ${httpd('edge-a')}
    ports:
      - target: 80
        published: 8082
        mode: host
${on('lab1')}  web3:
    image: cluster-test/busybox:latest
    command: ${httpd('web3-a')}
    ports: ["80"]
${on('lab3')}${sleeper('near', 'lab1')}${sleeper('far', 'lab2')}${sleeper('third', 'lab3')}`;

const ISOB = `services:
${sleeper('near', 'lab1')}${sleeper('far', 'lab2')}${sleeper('third', 'lab3')}`;

// A task whose healthcheck has not run yet: running, not serving, so not in the registry.
const ISOS = `services:
  slow:
    image: cluster-test/busybox:latest
    command: ${httpd('slow-s')}
    ports: ["80"]
    healthcheck:
      test: ["CMD", "false"]
      interval: 1h
      start_period: 1h
${on('lab1')}`;

const SHARED = '    networks: [default, shared]\n';
const EXTP = `services:
  web:
    image: cluster-test/busybox:latest
    command: ${httpd('ext-p')}
    ports: ["80"]
${SHARED}${on('lab1')}networks:
  shared:
    external: true
`;
const EXTC = `services:
${sleeper('client', 'lab2', SHARED)}  api:
    image: cluster-test/busybox:latest
    command: ${httpd('api-c')}
    ports: ["80"]
${SHARED}${on('lab3')}networks:
  shared:
    external: true
`;
const EXTX = `services:
${sleeper('client', 'lab2')}`;

/** hostPort is the host port the engine of lab K bound for a service's target port 80. */
async function hostPort(k: number, service: string): Promise<number> {
  const [c] = await engine(k).listContainers({ filters: { label: [`cluster.service=${service}`], status: ['running'] } });
  assert.ok(c, `no running container of ${service} on lab${k}`);
  const info = await engine(k).getContainer(c.Id).inspect();
  const port = Number(info.NetworkSettings.Ports['80/tcp']?.find((b) => !b.HostIp.includes(':'))?.HostPort);
  assert.ok(port > 0, `no host port for ${service}`);
  return port;
}

/** gateway is the gateway address of a network on lab host K. */
async function gateway(k: number, network: string): Promise<string> {
  const info = (await engine(k).getNetwork(network).inspect()) as { IPAM: { Config: { Gateway?: string }[] } };
  const gw = info.IPAM.Config[0]?.Gateway;
  assert.ok(gw, `no gateway for ${network} on lab${k}`);
  return gw;
}

/** rules lists the rules of a table of lab host K, with packet counters (`-c PKTS BYTES`). */
function rules(k: number, table = 'filter'): string {
  const r = inHost(k, 'iptables', '-w', '-t', table, '-S', '-v');
  assert.equal(r.code, 0, r.err);
  return r.out;
}

/** hits sums the packet counters of the rules that contain every one of `parts`. */
function hits(listing: string, ...parts: string[]): number {
  let n = 0;
  for (const l of listing.split('\n')) if (parts.every((p) => l.includes(p))) n += Number(/ -c (\d+) /.exec(l)?.[1] ?? 0);
  return n;
}

/** refused asserts that a wget from a service's container on lab K is refused, not answered (and not timed out). */
async function refused(k: number, service: string, url: string): Promise<void> {
  const r = await execOn(k, service, `wget -q -O - ${url}`);
  assert.notEqual(r.code, 0, `${service} -> ${url}: ${r.out}`);
  assert.match(r.out, /refused/i, `${service} -> ${url}: ${r.out}`);
}

/** answers asserts that a wget from a service's container on lab K gets `body`. */
async function answers(k: number, service: string, url: string, body: string): Promise<void> {
  const r = await execOn(k, service, `wget -q -O - ${url}`);
  assert.equal(r.out, body, `${service} -> ${url} (exit ${r.code})`);
}

function nodeId(name: string): string {
  const n = json<{ id: string; name: string }>('nodes').find((x) => x.name === name);
  assert.ok(n, `no node ${name}`);
  return n.id;
}

const chain = (id: string): string => `CLUSTER-${id.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12)}`;

describe('lab: stack isolation', { skip, timeout: 600000 }, () => {
  let webPort = 0;
  let web3Port = 0;
  before(async () => {
    const t0 = Date.now();
    lab('up', '3');
    // lab3's engine runs without the userland proxy: containers reach host ports through its DNAT.
    writeFileSync(join(LAB_DIR, 'daemon.json'), '{"userland-proxy": false}\n');
    try {
      lab('kill', '3');
      // On a busy machine the engine's containerd may miss its start timeout: one more try.
      try { lab('start', '3'); } catch (err) { log(`lab3 did not start (${(err as Error).message.split('\n').pop() ?? ''}); again`); lab('kill', '3'); lab('start', '3'); }
    } finally {
      writeFileSync(join(LAB_DIR, 'daemon.json'), '{}\n');
    }
    for (const k of [1, 2, 3]) await engine(k).createNetwork({ Name: 'shared', Driver: 'bridge' });
    ok('deploy', stackFile('isoa', ISOA), '--name', 'isoa', '--timeout', '90s');
    ok('deploy', stackFile('isob', ISOB), '--name', 'isob', '--timeout', '60s');
    webPort = await hostPort(1, 'isoa_web');
    web3Port = await hostPort(3, 'isoa_web3');
    // Every host has the rules for the ports once the registry reached it.
    for (const k of [1, 2, 3]) await waitFor(`lab${k} rules`, 20000, () => rules(k).includes(` ${webPort} `) && rules(k).includes(` ${web3Port} `));
    log(`lab up and stacks deployed in ${Date.now() - t0} ms; isoa_web on lab1:${webPort}`);
  }, { timeout: 240000 });

  after(() => {
    lab('down');
  }, { timeout: 120000 });

  test('the rules live in each host\'s namespace, not in the root namespace', () => {
    const c1 = chain(nodeId('lab1'));
    const l1 = rules(1);
    assert.match(l1, new RegExp(`-A INPUT .*-j ${c1}-IN`));
    assert.match(l1, new RegExp(`-A DOCKER-USER .*-j ${c1}-FWD`));
    assert.match(rules(1, 'nat').split('\n').find((l) => l.startsWith('-A PREROUTING')) ?? '', new RegExp(`-j ${c1}-NAT`), 'the nat jump comes before the engine\'s');
    assert.ok(l1.includes(`--ctorigdstport ${webPort} `), l1);
    // lab2 refuses the port at lab1's address, before it leaves.
    assert.ok(rules(2).includes(`-d ${addrOf(1)}/32`), 'lab2 has a rule for lab1\'s address');
    const root = spawnIptables();
    assert.ok(!root.includes(c1), 'lab1\'s chains are not in the root namespace');
  });

  test('hosts reach a task host port (the mesh\'s path), containers do not, on any path', async () => {
    // Open to host traffic: this namespace and lab2's host namespace get the answer.
    assert.equal(await get(addrOf(1), webPort), 'web-a');
    assert.equal(await get(addrOf(3), web3Port), 'web3-a');
    const fromLab2 = inHost(2, 'curl', '-s', '--max-time', '3', `http://${addrOf(1)}:${webPort}/`);
    assert.equal(fromLab2.out.trim(), 'web-a', fromLab2.err);
    // Same host through docker-proxy (lab1): the node's address and every gateway, from another stack and from the task's own.
    const lab1Targets = [addrOf(1), await gateway(1, 'bridge'), await gateway(1, 'isob_default'), await gateway(1, 'isoa_default')];
    const in0 = hits(rules(1), `--dport ${webPort} `, '-IN ');
    for (const a of lab1Targets) await refused(1, 'isob_near', `http://${a}:${webPort}/`);
    await refused(1, 'isoa_near', `http://${await gateway(1, 'isoa_default')}:${webPort}/`);
    assert.ok(hits(rules(1), `--dport ${webPort} `, '-IN ') >= in0 + lab1Targets.length + 1, 'lab1\'s INPUT rule refused each');
    // Same host where the engine DNATs (lab3), hairpin included: not DNATed, refused in INPUT.
    const lab3Targets = [addrOf(3), await gateway(3, 'bridge'), await gateway(3, 'isob_default'), await gateway(3, 'isoa_default')];
    const nat0 = hits(rules(3, 'nat'), `--dport ${web3Port} `);
    const in3 = hits(rules(3), `--dport ${web3Port} `, '-IN ');
    for (const a of lab3Targets) await refused(3, 'isob_third', `http://${a}:${web3Port}/`);
    await refused(3, 'isoa_third', `http://${await gateway(3, 'isoa_default')}:${web3Port}/`);
    assert.ok(hits(rules(3, 'nat'), `--dport ${web3Port} `) >= nat0 + lab3Targets.length + 1, 'lab3\'s nat rule kept each from the DNAT');
    assert.ok(hits(rules(3), `--dport ${web3Port} `, '-IN ') >= in3 + lab3Targets.length + 1, 'lab3\'s INPUT rule refused each');
    // Another host: lab2 refuses it before it leaves masqueraded as lab2.
    const fwd0 = hits(rules(2), `-d ${addrOf(1)}/32`, `--dport ${webPort} `);
    await refused(2, 'isob_far', `http://${addrOf(1)}:${webPort}/`);
    await refused(2, 'isob_far', `http://${addrOf(3)}:${web3Port}/`);
    assert.ok(hits(rules(2), `-d ${addrOf(1)}/32`, `--dport ${webPort} `) > fwd0, 'lab2\'s rule refused it');
  });

  test('a task that does not serve yet is covered on its host as well', async () => {
    ok('deploy', stackFile('isos', ISOS), '--name', 'isos', '--detach');
    const port = await waitFor<number>('isos_slow running on lab1', 60000, () => hostPort(1, 'isos_slow').catch(() => undefined));
    await waitFor(`lab1 rule for ${port}`, 20000, () => rules(1).includes(`--dport ${port} `));
    assert.equal(json<{ state: string }>('ps', 'isos_slow')[0]?.state, 'running');
    assert.equal(await get(addrOf(1), port), 'slow-s');
    // Not in the registry: no other host has a rule for it; lab1 has it from its own observation.
    assert.ok(!rules(2).includes(`--dport ${port} `), 'lab2 knows nothing of it');
    await refused(1, 'isob_near', `http://${addrOf(1)}:${port}/`);
  });

  test('names, VIPs, published and mode host ports still answer', async () => {
    await answers(1, 'isoa_near', 'http://web/', 'web-a');
    await answers(2, 'isoa_far', 'http://web.isoa/', 'web-a');
    await answers(3, 'isoa_third', 'http://web/', 'web-a');
    await answers(1, 'isoa_near', 'http://web3/', 'web3-a');
    // Published ports are public: a container of another stack gets them on any node.
    await answers(2, 'isob_far', `http://${addrOf(2)}:8081/`, 'web-a');
    await answers(1, 'isob_near', `http://${addrOf(1)}:8081/`, 'web-a');
    await answers(3, 'isob_third', `http://${addrOf(3)}:8081/`, 'web-a');
    await answers(2, 'isob_far', `http://${addrOf(1)}:8082/`, 'edge-a');
    await answers(1, 'isob_near', `http://${addrOf(1)}:8082/`, 'edge-a');
    assert.equal(await get(addrOf(3), 8081), 'web-a');
  });

  test('two stacks on an external network see each other across hosts; a third stack does not', { timeout: 180000 }, async () => {
    ok('deploy', stackFile('extp', EXTP), '--name', 'extp', '--timeout', '90s');
    ok('deploy', stackFile('extc', EXTC), '--name', 'extc', '--timeout', '90s');
    ok('deploy', stackFile('extx', EXTX), '--name', 'extx', '--timeout', '60s');
    const port = await hostPort(1, 'extp_web');
    await waitFor('lab2 rule for extp_web', 20000, () => rules(2).includes(`--dport ${port} `));
    // extc's client on lab2 -> extp's web pinned to lab1, by every name.
    for (const name of ['web.extp', 'extp_web', 'web']) {
      await waitFor(`${name} from extc_client`, 15000, async () => (await execOn(2, 'extc_client', `wget -q -O - http://${name}/`)).out === 'ext-p');
    }
    // And back: extp's web on lab1 -> extc's api on lab3.
    for (const name of ['api.extc', 'extc_api']) {
      await waitFor(`${name} from extp_web`, 15000, async () => (await execOn(1, 'extp_web', `wget -q -O - http://${name}/`)).out === 'api-c');
    }
    const ns = await execOn(2, 'extc_client', 'nslookup web.extp');
    const vip = /Address(?: \d+)?:\s*(10\.233\.\d+\.\d+)/.exec(ns.out)?.[1];
    assert.ok(vip, `no VIP in: ${ns.out}`);
    // extx is on no shared network: no name, no VIP, no host port.
    const names = await execOn(2, 'extx_client', 'nslookup web.extp; nslookup extp_web; nslookup api.extc');
    assert.doesNotMatch(names.out, /10\.233\./, names.out);
    const viaVip = await execOn(2, 'extx_client', `wget -q -O - http://${vip}/`);
    assert.notEqual(viaVip.out, 'ext-p');
    assert.notEqual(viaVip.code, 0);
    await refused(2, 'extx_client', `http://${addrOf(1)}:${port}/`);
    await answers(2, 'extc_client', `http://${vip}/`, 'ext-p');
  });

  // Last: a host whose agent stops is down for the manager, which moves its tasks; only lab2's rules matter here.
  test('the agent puts back a jump the engine dropped, removes its rules on stop and rebuilds them on start', { timeout: 180000 }, async () => {
    const c2 = chain(nodeId('lab2'));
    const remote = (): boolean => rules(2).includes(`-d ${addrOf(1)}/32`) && rules(2).includes(`--dport ${webPort} `);
    // A container of no stack on lab2's default bridge.
    const plain = await engine(2).createContainer({ Image: 'cluster-test/busybox:latest', Cmd: ['sleep', '600'], name: 'isolation-plain' });
    await plain.start();
    const agentPid = (): number => Number(readFileSync(join(LAB_DIR, 'host2/agent/agent.pid'), 'utf8').trim());
    try {
      const url = `http://${addrOf(1)}:${webPort}/`;
      const wget = async (): Promise<{ code: number; out: string }> => execIn(plain, `wget -q -O - ${url}`);
      assert.match((await wget()).out, /refused/i);

      const jump = rules(2).split('\n').find((l) => l.startsWith('-A DOCKER-USER') && l.includes(`${c2}-FWD`));
      assert.ok(jump);
      const del = inHost(2, 'iptables', '-w', '-D', ...splitRule(jump.replace(/ -c \d+ \d+/, '')).slice(1));
      assert.equal(del.code, 0, del.err);
      await waitFor('the jump back in DOCKER-USER', 15000, () => rules(2).includes(`-j ${c2}-FWD`));
      assert.match((await wget()).out, /refused/i);

      process.kill(agentPid(), 'SIGTERM');
      await waitFor('lab2\'s chains gone after SIGTERM', 15000, () => !rules(2).includes(c2) && !rules(2, 'nat').includes(c2));
      // Without the agent's rules the port answers the container: they are what refused it.
      assert.equal((await wget()).out, 'web-a');
      lab('restart-agent', '2');
      await waitFor('lab2\'s rules back', 20000, remote);
      assert.match((await wget()).out, /refused/i);

      // kill -9 leaves the rules; the next agent replaces the dead one's jumps instead of adding more.
      lab('restart-agent', '2');
      await waitFor('one jump per chain after kill -9 and start', 20000, () => {
        const f = rules(2).split('\n');
        const n = rules(2, 'nat').split('\n');
        return f.filter((x) => x.startsWith('-A INPUT') && x.includes(`${c2}-IN`)).length === 1
          && f.filter((x) => x.startsWith('-A DOCKER-USER') && x.includes(`${c2}-FWD`)).length === 1
          && n.filter((x) => x.startsWith('-A PREROUTING') && x.includes(`${c2}-NAT`)).length === 1
          && remote();
      });
      assert.match((await wget()).out, /refused/i);
    } finally {
      // Put lab2 back as it was: its agent running, no container of no stack.
      if (!alive(agentPid())) lab('restart-agent', '2');
      await plain.remove({ force: true }).catch(() => undefined);
    }
  });
});

/** spawnIptables lists the root namespace's filter table. */
function spawnIptables(): string {
  const r = spawnSync('iptables', ['-w', '-S'], { encoding: 'utf8', timeout: 10000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** splitRule splits one line of `iptables -S` (double quotes group). */
function splitRule(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}
