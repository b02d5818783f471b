import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RegistryEndpoint, RegistryEntry } from '@cluster/core';
import { Firewall, type Iptables } from './firewall.js';
import { chainsOf, isolationRules, taskPorts } from './isolationRules.js';
import { KernelPath, kernelChainOf, kernelRules, kernelSkips, probability, userspaceTargets, withKernelRules, type KernelInput } from './kernelPath.js';
import { inSubnet } from './subnets.js';
import { targetsOf } from './mesh.js';

const ep = (taskId: string, nodeId: string, extra: Partial<RegistryEndpoint> = {}): RegistryEndpoint => ({
  taskId, nodeId, nodeAddress: nodeId === 'me' ? '10.0.0.1' : '10.0.0.2', slot: 1, ports: [{ target: 80, protocol: 'tcp', hostPort: 33001 }], ...extra,
});

const web = (endpoints: RegistryEndpoint[]): RegistryEntry => ({
  name: 'a_web', stack: 'a', shortName: 'web', vip: '10.233.0.5', aliases: [],
  ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }, { target: 53, published: 0, protocol: 'udp', mode: 'ingress' }],
  endpoints,
});

const input = (entries: RegistryEntry[], locals: [string, string][]): KernelInput => ({
  entries,
  nodeId: 'me',
  locals: new Map(locals.map(([t, a]) => [t, a.split(',')])),
  subnets: [{ stack: 'a', subnet: '172.20.0.0/16' }, { stack: 'b', subnet: '172.21.0.0/16' }, { stack: 'a', subnet: '172.22.0.0/16' }],
  publishAddresses: ['10.0.0.1', '127.0.0.1'],
});

/** share is the part of all connections each DNAT rule of a sequence takes (a rule without statistic takes all that reaches it). */
function shares(rules: string[]): number[] {
  let left = 1;
  return rules.map((r) => {
    const p = Number(/--probability (\S+)/.exec(r)?.[1] ?? '1');
    const s = left * p;
    left -= s;
    return s;
  });
}

test('with 2 local endpoints of 5, each takes 1/5 of the VIP\'s connections from each subnet of its stack, at its address there, and the rest is left to userspace', () => {
  const eps = [ep('t1', 'me'), ep('r1', 'other'), ep('t2', 'me'), ep('r2', 'other'), ep('r3', 'other')];
  const r = kernelRules(input([web(eps)], [['t1', '172.20.0.7,172.22.0.7'], ['t2', '172.20.0.8,172.22.0.8']]));
  const vip = r.nat.filter((l) => l.includes('-d 10.233.0.5/32'));
  assert.deepEqual(vip, [
    '-s 172.20.0.0/16 -d 10.233.0.5/32 -p tcp -m tcp --dport 80 -m statistic --mode random --probability 0.20000000 -j DNAT --to-destination 172.20.0.7:80',
    '-s 172.20.0.0/16 -d 10.233.0.5/32 -p tcp -m tcp --dport 80 -m statistic --mode random --probability 0.25000000 -j DNAT --to-destination 172.20.0.8:80',
    '-s 172.22.0.0/16 -d 10.233.0.5/32 -p tcp -m tcp --dport 80 -m statistic --mode random --probability 0.20000000 -j DNAT --to-destination 172.22.0.7:80',
    '-s 172.22.0.0/16 -d 10.233.0.5/32 -p tcp -m tcp --dport 80 -m statistic --mode random --probability 0.25000000 -j DNAT --to-destination 172.22.0.8:80',
  ]);
  for (const s of shares(vip.slice(0, 2))) assert.ok(Math.abs(s - 0.2) < 1e-7, String(s));
  assert.ok(!r.nat.some((l) => l.includes('172.21.0.0/16')), 'stack b may not use the VIP: its sources fall through to the listener');
  assert.ok(!r.nat.some((l) => l.includes('udp')), 'UDP stays in userspace');
  assert.deepEqual([...r.served].sort(), ['t1', 't2']);
  // A replica not on the client's network is not DNATed to from there (the engine isolates bridges): the shares of that subnet's rules count it as remote.
  const one = kernelRules(input([web(eps)], [['t1', '172.20.0.7'], ['t2', '172.20.0.8,172.22.0.8']])).nat.filter((l) => l.startsWith('-s 172.22.0.0/16'));
  assert.deepEqual(one, ['-s 172.22.0.0/16 -d 10.233.0.5/32 -p tcp -m tcp --dport 80 -m statistic --mode random --probability 0.20000000 -j DNAT --to-destination 172.22.0.8:80']);
  // The listener passes the local endpoints over while remote ones exist.
  assert.deepEqual(targetsOf(web(eps), 80, 'tcp', undefined, r.served).map((t) => t.address), ['10.0.0.2', '10.0.0.2', '10.0.0.2']);
  assert.equal(targetsOf(web(eps), 80, 'tcp').length, 5, 'without a kernel path, all');
});

test('probabilities give every endpoint 1/n for any k of n; with every endpoint local the kernel takes all', () => {
  for (let n = 1; n <= 6; n++) {
    for (let k = 1; k <= n; k++) {
      const eps = Array.from({ length: n }, (_, i) => ep(`t${i}`, i < k ? 'me' : 'other'));
      const locals = eps.slice(0, k).map((e, i): [string, string] => [e.taskId, `172.20.0.${10 + i}`]);
      const rules = kernelRules(input([web(eps)], locals)).nat.filter((l) => l.startsWith('-s 172.20.0.0/16 -d 10.233.0.5/32'));
      assert.equal(rules.length, k);
      const s = shares(rules);
      for (const x of s) assert.ok(Math.abs(x - 1 / n) < 1e-7, `n=${n} k=${k}: ${s.join(', ')}`);
      assert.equal(rules.at(-1)?.includes('statistic'), k < n, `n=${n} k=${k}: the last rule takes the rest only when all are local`);
    }
  }
  assert.equal(probability(3), '0.33333333');
  const all = [ep('t1', 'me'), ep('t2', 'me')];
  assert.equal(userspaceTargets(all, new Set(['t1', 't2'])).length, 2, 'all local: the listener keeps them all');
});

test('published ports: DNAT on the node address, not on loopback; the FWD chain lets them through', () => {
  const eps = [ep('t1', 'me'), ep('r1', 'other')];
  const r = kernelRules(input([web(eps)], [['t1', '172.20.0.7']]));
  assert.deepEqual(r.nat.filter((l) => l.includes('--dport 8080') || l.includes('RETURN')), [
    '-i docker0 -j RETURN',
    '-i br-+ -j RETURN',
    '-d 10.0.0.1/32 -p tcp -m tcp --dport 8080 -m statistic --mode random --probability 0.50000000 -j DNAT --to-destination 172.20.0.7:80',
  ]);
  assert.ok(!r.nat.some((l) => l.includes('127.0.0.1')));
  assert.ok(r.forward.includes('-d 172.20.0.7/32 -p tcp -m tcp --dport 80 -m conntrack --ctstate DNAT --ctorigdstport 8080 -j ACCEPT'), r.forward.join('\n'));
  assert.ok(r.forward.includes('-m conntrack --ctstate DNAT --ctorigdst 10.233.0.0/16 -j ACCEPT'));
  const any = kernelRules({ ...input([web(eps)], [['t1', '172.20.0.7']]), publishAddresses: ['0.0.0.0'] });
  assert.ok(any.nat.some((l) => l.startsWith('-m addrtype --dst-type LOCAL -p tcp -m tcp --dport 8080 ')));
});

test('a local task address is DNATed to its container for its stack only; remote tasks and tasks without a listing are not', () => {
  const eps = [ep('t1', 'me', { address: '10.234.0.9' }), ep('t2', 'me', { address: '10.234.0.10' }), ep('r1', 'other', { address: '10.234.0.11' })];
  const r = kernelRules(input([web(eps)], [['t1', '172.20.0.7']]));
  assert.deepEqual(r.nat.filter((l) => l.includes('10.234.')), [
    '-s 172.20.0.0/16 -d 10.234.0.9/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.20.0.7:80',
  ]);
  // t2 is in the registry but not running here (stopped or dead): no rule, and the listener keeps it.
  assert.deepEqual([...r.served], ['t1']);
  assert.equal(kernelRules(input([web(eps)], [])).nat.length, 0);
});

test('the kernel chain goes into the isolation restore input after the isolation rules', () => {
  const chains = chainsOf('me');
  const knl = kernelChainOf(chains);
  assert.equal(knl, 'CLUSTER-me-KNL');
  const eps = [ep('t1', 'me'), ep('r1', 'other')];
  const iso = isolationRules(taskPorts([web(eps)], 'me'), chains, ['docker0']);
  const out = withKernelRules(iso, chains, knl, kernelRules(input([web(eps)], [['t1', '172.20.0.7']]))).split('\n');
  const at = (re: RegExp): number => out.findIndex((l) => re.test(l));
  assert.ok(at(/^-A CLUSTER-me-FWD .*-j DROP/) < at(/^-A CLUSTER-me-FWD .*ACCEPT/), 'isolation drops first');
  assert.ok(at(/^-A CLUSTER-me-FWD .*ACCEPT/) < out.indexOf('COMMIT'));
  assert.ok(at(/^:CLUSTER-me-KNL /) > out.indexOf('*nat'));
  assert.ok(at(/^-A CLUSTER-me-NAT .*-j ACCEPT/) < at(/^-A CLUSTER-me-NAT -j CLUSTER-me-KNL$/), 'task host ports kept from DNAT first');
  assert.ok(at(/^-A CLUSTER-me-KNL .*DNAT/) < out.lastIndexOf('COMMIT'));
  assert.equal(out.filter((l) => l === 'COMMIT').length, 2);
});

test('a firewall with a kernel path jumps to its chain from nat OUTPUT, applies its rules, and removes both on stop', async () => {
  const calls: string[] = [];
  const restored: string[] = [];
  const iptables: Iptables = (cmd, args, input) => {
    calls.push(`${cmd} ${args.join(' ')}`);
    if (cmd === 'iptables-restore') restored.push(input ?? '');
    if (args.includes('-D')) return Promise.reject(new Error('no such rule'));
    return Promise.resolve('');
  };
  const locals = new Map([['t1', ['172.20.0.7']]]);
  const subnets = [{ stack: 'a', subnet: '172.20.0.0/16' }];
  const kp = new KernelPath({ nodeId: 'me', locals: () => Promise.resolve(locals), subnets: () => Promise.resolve(subnets), publishAddresses: ['10.0.0.1'], log: () => undefined, bridgeNetfilter: () => Promise.resolve(true) });
  const fw = new Firewall({ nodeId: 'me', log: () => undefined, iptables, checkMs: 60000, alive: () => true, kernel: (e) => kp.rules(e) });
  await fw.start();
  assert.ok(calls.includes(`iptables -t nat -I OUTPUT 1 -m comment --comment cluster agent pid ${process.pid} -j CLUSTER-me-KNL`), calls.join('\n'));
  await kp.refresh();
  await fw.update([web([ep('t1', 'me'), ep('r1', 'other')])]);
  assert.match(restored.at(-1) ?? '', /-A CLUSTER-me-KNL -s 172\.20\.0\.0\/16 -d 10\.233\.0\.5\/32 .*--probability 0\.50000000 -j DNAT --to-destination 172\.20\.0\.7:80/);
  assert.deepEqual([...kp.served], ['t1']);
  // The task stops: the next listing no longer has it, and its rules go.
  locals.delete('t1');
  await kp.refresh();
  await fw.update([web([ep('t1', 'me'), ep('r1', 'other')])]);
  assert.doesNotMatch(restored.at(-1) ?? '', /-j DNAT/);
  assert.equal(kp.served.size, 0);
  calls.length = 0;
  await fw.stop();
  assert.ok(calls.includes('iptables -t nat -X CLUSTER-me-KNL'), calls.join('\n'));
  assert.ok(calls.some((c) => c.startsWith('iptables -t nat -D OUTPUT')));
  assert.ok(calls.indexOf('iptables -t nat -F CLUSTER-me-NAT') < calls.indexOf('iptables -t nat -X CLUSTER-me-KNL'), 'the NAT chain, which jumps to it, goes first');
});

test('without netfilter on bridged traffic the kernel path stays off', async () => {
  const logs: string[] = [];
  const kp = new KernelPath({ nodeId: 'me', locals: () => Promise.resolve(new Map([['t1', ['172.20.0.7']]])), subnets: () => Promise.resolve([{ stack: 'a', subnet: '172.20.0.0/16' }]), publishAddresses: ['10.0.0.1'], log: (m) => logs.push(m), bridgeNetfilter: () => Promise.resolve(false) });
  await kp.refresh();
  assert.equal(kp.rules([web([ep('t1', 'me')])]).nat.length, 0);
  assert.equal(logs.length, 1);
});

/**
 * dnatTargets runs a new connection through the nat rules as netfilter
 * would: the addresses a DNAT may send it to (a rule with a statistic may
 * or may not match; one without takes all), none if it is RETURNed first.
 * `from` is the interface it came in on (undefined: this host or another
 * host's link); `local` are this host's addresses (`--dst-type LOCAL`).
 */
function dnatTargets(nat: string[], c: { src: string; dst: string; dport: number; from?: string }, local: string[]): string[] {
  const out: string[] = [];
  for (const r of nat) {
    const i = /-i (\S+)/.exec(r)?.[1];
    if (i && !(c.from !== undefined && (i.endsWith('+') ? c.from.startsWith(i.slice(0, -1)) : c.from === i))) continue;
    const s = /-s (\S+)/.exec(r)?.[1];
    if (s && !inSubnet(c.src, s)) continue;
    const d = /-d (\S+)/.exec(r)?.[1];
    if (d && !inSubnet(c.dst, d)) continue;
    if (r.includes('--dst-type LOCAL') && !local.includes(c.dst)) continue;
    const port = /--dport (\d+)/.exec(r)?.[1];
    if (port && Number(port) !== c.dport) continue;
    if (r.endsWith('-j RETURN')) return out;
    out.push(/--to-destination (\S+):\d+$/.exec(r)![1]!);
    if (!r.includes('--probability')) return out;
  }
  return out;
}

test('the listeners\' predicate (kernelSkips) matches the rules: a client is handled exactly when a DNAT may take it, and its local tasks are those it may be DNATed to', () => {
  const eps = [ep('t1', 'me'), ep('r1', 'other'), ep('t2', 'me'), ep('t3', 'me')];
  const bridges = [{ subnet: '172.20.0.0/16', gateway: '172.20.0.1' }, { subnet: '172.21.0.0/16', gateway: '172.21.0.1' }, { subnet: '172.22.0.0/16', gateway: '172.22.0.1' }, { subnet: '172.17.0.0/16', gateway: '172.17.0.1' }];
  const locals: [string, string][] = [['t1', '172.20.0.7,172.22.0.7'], ['t2', '172.20.0.8'], ['t3', '172.22.0.9']];
  const hostAddresses = ['10.0.0.1', '127.0.0.1', ...bridges.map((b) => b.gateway)];
  const bridgeOf = (a: string): string | undefined => {
    const b = bridges.find((x) => inSubnet(a, x.subnet) && x.gateway !== a);
    return b ? (b.subnet.startsWith('172.17.') ? 'docker0' : `br-${b.subnet.split('.')[1]}`) : undefined;
  };
  const sources = ['172.20.0.50', '172.21.0.50', '172.22.0.50', '172.17.0.5', '172.20.0.1', '172.17.0.1', '10.0.0.1', '10.0.0.2', '192.168.5.5'];
  for (const publishAddresses of [['10.0.0.1', '127.0.0.1'], ['0.0.0.0'], ['127.0.0.1']]) {
    const inp = { ...input([web(eps)], locals), publishAddresses, bridges };
    const r = kernelRules(inp);
    const taskOf = new Map(locals.flatMap(([t, a]) => a.split(',').map((x) => [x, t] as const)));
    let handled = 0;
    const listeners = [
      { l: { vip: '10.233.0.5', port: 80 }, dst: '10.233.0.5', dport: 80 },
      ...(publishAddresses[0] === '127.0.0.1' ? [] : [{ l: { published: 8080 }, dst: '10.0.0.1', dport: 8080 }]),
    ];
    for (const { l, dst, dport } of listeners) {
      for (const src of sources) {
        const from = bridgeOf(src);
        const dnat = dnatTargets(r.nat, { src, dst, dport, ...(from ? { from } : {}) }, hostAddresses);
        const skips = kernelSkips(r.clients, l, src);
        const what = `${JSON.stringify(l)} from ${src} (${publishAddresses.join(',')})`;
        assert.equal(skips !== undefined, dnat.length > 0, what);
        assert.deepEqual([...(skips ?? [])].sort(), [...new Set(dnat.map((a) => taskOf.get(a)!))].sort(), what);
        if (skips) handled++;
      }
    }
    assert.ok(handled > 0, 'some clients are handled');
  }
  // Without the kernel path's data, no client is handled.
  assert.equal(kernelSkips({ vips: new Map(), published: new Map(), bridges: [] }, { published: 8080 }, '10.0.0.2'), undefined);
});

test('a VIP, task address or subnet that is not IPv4 makes no kernel rule: no text from the wire is pasted into the rules', () => {
  const injected = '10.233.0.5/32 -j RETURN\n-I INPUT 1 -s 198.51.100.77';
  const bad: RegistryEntry = { ...web([ep('t1', 'me', { address: `10.234.0.1${injected}` })]), vip: injected };
  const r = kernelRules({ ...input([bad], [['t1', '172.20.0.7']]), subnets: [{ stack: 'a', subnet: '172.20.0.0/16 -j ACCEPT' }, { stack: 'a', subnet: '172.22.0.0/16' }] });
  const text = [...r.nat, ...r.forward].join('\n');
  assert.ok(!text.includes('198.51.100.77') && !text.includes('172.20.0.0/16 -j') && !text.includes('10.234.0.1'), text);
  assert.ok(r.nat.every((l) => !l.includes('-s 172.20.0.0/16')), 'a malformed subnet makes no rule');
  assert.equal(r.clients.vips.size, 0);
});
