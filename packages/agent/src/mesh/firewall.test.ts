import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RegistryEntry } from '@cluster/core';
import { chainsOf, clusterJumps, Firewall, isolationRules, jumpFirst, splitArgs, taskPorts, type Iptables } from './firewall.js';

const entry = (name: string, extra: Partial<RegistryEntry>): RegistryEntry => ({
  name, stack: name.split('_')[0] ?? '', shortName: name, vip: '10.233.0.2', ports: [], endpoints: [], aliases: [], ...extra,
});

const view: RegistryEntry[] = [
  entry('a_web', {
    ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }],
    endpoints: [
      { taskId: 't1', nodeId: 'me', nodeAddress: '10.0.0.1', slot: 1, ports: [{ target: 80, protocol: 'tcp', hostPort: 33001 }] },
      { taskId: 't2', nodeId: 'other', nodeAddress: '10.0.0.2', slot: 2, ports: [{ target: 80, protocol: 'tcp', hostPort: 33001 }] },
    ],
  }),
  entry('a_dns', {
    ports: [{ target: 53, published: 0, protocol: 'udp', mode: 'ingress' }],
    endpoints: [{ taskId: 't3', nodeId: 'other', nodeAddress: '10.0.0.2', slot: 1, ports: [{ target: 53, protocol: 'udp', hostPort: 40000 }] }],
  }),
  // A `mode: host` port is public: its host port stays open; the other target port of the task is not.
  entry('b_edge', {
    ports: [{ target: 80, published: 9000, protocol: 'tcp', mode: 'host' }, { target: 81, published: 0, protocol: 'tcp', mode: 'ingress' }],
    endpoints: [{ taskId: 't4', nodeId: 'me', nodeAddress: '10.0.0.1', slot: 1, ports: [{ target: 80, protocol: 'tcp', hostPort: 9000 }, { target: 81, protocol: 'tcp', hostPort: 33002 }] }],
  }),
];

test('task ports: this node\'s first, other nodes\' by address; mode host ports left out', () => {
  assert.deepEqual(taskPorts(view, 'me'), [
    { address: '10.0.0.1', port: 33001, protocol: 'tcp', local: true },
    { address: '10.0.0.1', port: 33002, protocol: 'tcp', local: true },
    { address: '10.0.0.2', port: 33001, protocol: 'tcp', local: false },
    { address: '10.0.0.2', port: 40000, protocol: 'udp', local: false },
  ]);
  assert.deepEqual(taskPorts([], 'me'), []);
});

test('running tasks of this node are covered before and after they serve; a mode host port stays open', () => {
  const local = [{ target: 80, protocol: 'tcp' as const, hostPort: 33005 }, { target: 80, protocol: 'tcp' as const, hostPort: 9000 }, { target: 81, protocol: 'tcp' as const, hostPort: 33001 }];
  assert.deepEqual(taskPorts(view, 'me', local).filter((p) => p.local), [
    { address: '', port: 33001, protocol: 'tcp', local: true },
    { address: '10.0.0.1', port: 33002, protocol: 'tcp', local: true },
    { address: '', port: 33005, protocol: 'tcp', local: true },
  ]);
});

test('rules refuse new connections from container bridges to task ports, after VIPs, task addresses and established traffic pass', () => {
  const chains = chainsOf('me');
  const rules = isolationRules(taskPorts(view, 'me'), chains, ['docker0']).split('\n');
  assert.deepEqual(rules, [
    '*filter',
    ':CLUSTER-me-IN - [0:0]',
    ':CLUSTER-me-FWD - [0:0]',
    '-A CLUSTER-me-IN -m conntrack ! --ctstate NEW -j RETURN',
    '-A CLUSTER-me-IN -d 10.233.0.0/16 -j RETURN',
    '-A CLUSTER-me-IN -d 10.234.0.0/15 -j RETURN',
    '-A CLUSTER-me-FWD -m conntrack ! --ctstate NEW -j RETURN',
    // This node: refused in INPUT (docker-proxy's way); what the engine DNATs all the same is dropped.
    '-A CLUSTER-me-IN -i docker0 -p tcp -m tcp --dport 33001 -j REJECT --reject-with tcp-reset',
    '-A CLUSTER-me-FWD -i docker0 -p tcp -m conntrack --ctstate DNAT --ctorigdstport 33001 -j DROP',
    '-A CLUSTER-me-IN -i docker0 -p tcp -m tcp --dport 33002 -j REJECT --reject-with tcp-reset',
    '-A CLUSTER-me-FWD -i docker0 -p tcp -m conntrack --ctstate DNAT --ctorigdstport 33002 -j DROP',
    // Other nodes: at their address, before the connection leaves this node.
    '-A CLUSTER-me-FWD -i docker0 -d 10.0.0.2/32 -p tcp -m tcp --dport 33001 -j REJECT --reject-with tcp-reset',
    '-A CLUSTER-me-FWD -i docker0 -d 10.0.0.2/32 -p udp -m udp --dport 40000 -j REJECT --reject-with icmp-port-unreachable',
    'COMMIT',
    // This node's ports are not DNATed for containers: they go to INPUT and its refusal.
    '*nat',
    ':CLUSTER-me-NAT - [0:0]',
    '-A CLUSTER-me-NAT -i docker0 -p tcp -m tcp --dport 33001 -m addrtype --dst-type LOCAL -j ACCEPT',
    '-A CLUSTER-me-NAT -i docker0 -p tcp -m tcp --dport 33002 -m addrtype --dst-type LOCAL -j ACCEPT',
    'COMMIT',
    '',
  ]);
  assert.equal(isolationRules([], chains).split('\n').filter((l) => l.includes('REJECT')).length, 0);
  const both = isolationRules(taskPorts(view, 'me'), chains);
  assert.equal(both.split('\n').filter((l) => l.includes('-i br-+ ')).length, 8, 'every rule for each bridge pattern');
});

test('chain names fit iptables (28 characters) whatever the node id', () => {
  const c = chainsOf('0f3c9a7e-5b21-4c1d-9e8f-aa00bb11cc22');
  assert.deepEqual(c, { input: 'CLUSTER-0f3c9a7e5b21-IN', forward: 'CLUSTER-0f3c9a7e5b21-FWD', nat: 'CLUSTER-0f3c9a7e5b21-NAT' });
  assert.ok(c.forward.length <= 28);
});

test('jumps of agents are found in iptables -S output with their pid', () => {
  const listing = [
    '-P INPUT ACCEPT',
    '-A INPUT -m comment --comment "cluster agent pid 4242" -j CLUSTER-x-IN',
    '-A DOCKER-USER -m comment --comment "cluster agent pid 17" -j CLUSTER-y-FWD',
    '-A DOCKER-USER -j RETURN',
    '-A INPUT -m comment --comment "someone else" -j CLUSTER-z-IN',
  ].join('\n');
  assert.deepEqual(clusterJumps(listing), [
    { rule: ['INPUT', '-m', 'comment', '--comment', 'cluster agent pid 4242', '-j', 'CLUSTER-x-IN'], chain: 'CLUSTER-x-IN', pid: 4242 },
    { rule: ['DOCKER-USER', '-m', 'comment', '--comment', 'cluster agent pid 17', '-j', 'CLUSTER-y-FWD'], chain: 'CLUSTER-y-FWD', pid: 17 },
  ]);
  assert.ok(jumpFirst(listing.split('\n').slice(0, 2).join('\n'), 'CLUSTER-x-IN', 4242));
  assert.ok(!jumpFirst(listing.split('\n').slice(0, 2).join('\n'), 'CLUSTER-x-IN', 4243), 'another agent\'s jump');
  assert.ok(jumpFirst('-A INPUT -m comment --comment "cluster agent pid 1" -j CLUSTER-o-IN\n-A INPUT -m comment --comment "cluster agent pid 7" -j CLUSTER-x-IN', 'CLUSTER-x-IN', 7), 'behind another agent\'s jump');
  assert.ok(!jumpFirst('-A INPUT -j DOCKER\n-A INPUT -m comment --comment "cluster agent pid 7" -j CLUSTER-x-IN', 'CLUSTER-x-IN', 7), 'behind an engine rule');
  assert.deepEqual(splitArgs('-A X -m comment --comment "a \\"b\\" c" -j Y'), ['-A', 'X', '-m', 'comment', '--comment', 'a "b" c', '-j', 'Y']);
});

test('the firewall applies a burst of views once per change, checks its jumps, removes dead agents\' rules and its own on stop', async () => {
  const calls: string[] = [];
  let listing = `-A INPUT -m comment --comment "cluster agent pid 999999" -j CLUSTER-dead-IN\n`;
  const rules: string[] = [];
  const iptables: Iptables = (cmd, args, input) => {
    calls.push(`${cmd} ${args.join(' ')}`);
    if (cmd === 'iptables-restore') rules.push(input ?? '');
    // The whole filter table holds a dead agent's jump; DOCKER-USER exists; no jump of ours is there yet.
    if (args.join(' ') === '-t filter -S') return Promise.resolve(listing);
    if (args.includes('-S')) return Promise.resolve('');
    if (args.includes('-D')) {
      if (!args.includes('cluster agent pid 999999')) return Promise.reject(new Error('no such rule'));
      listing = '';
    }
    return Promise.resolve('');
  };
  const fw = new Firewall({ nodeId: 'me', log: () => undefined, iptables, checkMs: 60000, alive: (pid) => pid !== 999999 });
  await fw.start();
  assert.ok(calls.includes('iptables -t filter -D INPUT -m comment --comment cluster agent pid 999999 -j CLUSTER-dead-IN'), calls.join('\n'));
  assert.ok(calls.includes('iptables -t filter -X CLUSTER-dead-IN'));
  assert.ok(calls.includes(`iptables -t filter -I INPUT 1 -m comment --comment cluster agent pid ${process.pid} -j CLUSTER-me-IN`));
  assert.ok(calls.includes(`iptables -t filter -I DOCKER-USER 1 -m comment --comment cluster agent pid ${process.pid} -j CLUSTER-me-FWD`));
  assert.ok(calls.includes(`iptables -t nat -I PREROUTING 1 -m comment --comment cluster agent pid ${process.pid} -j CLUSTER-me-NAT`));
  void fw.update(view.slice(0, 1));
  void fw.update(view.slice(0, 2));
  await fw.update(view);
  assert.equal(rules.length, 2, 'the empty chains, then the last view of the burst');
  assert.match(rules[1] ?? '', /--ctorigdstport 33002/);
  await fw.update(view);
  assert.equal(rules.length, 2, 'an unchanged view is not applied again');
  await fw.observe([{ taskId: 'starting', ports: [{ target: 80, protocol: 'tcp', hostPort: 34000 }] }]);
  assert.match(rules.at(-1) ?? '', /--dport 34000 /, 'a running task not in the registry yet');
  assert.match(rules.at(-1) ?? '', /--ctorigdstport 33002/, 'with the registry view');
  const n = rules.length;
  await fw.observe([{ taskId: 'starting', ports: [{ target: 80, protocol: 'tcp', hostPort: 34000 }] }]);
  assert.equal(rules.length, n, 'the same ports again change nothing');
  await fw.observe([{ taskId: 'starting' }]);
  assert.doesNotMatch(rules.at(-1) ?? '', /--dport 34000 /, 'a stopped task');
  calls.length = 0;
  await fw.stop();
  for (const c of ['-t filter -X CLUSTER-me-IN', '-t filter -X CLUSTER-me-FWD', '-t nat -X CLUSTER-me-NAT']) assert.ok(calls.includes(`iptables ${c}`), calls.join('\n'));
  assert.ok(calls.some((c) => c.startsWith('iptables -t filter -D INPUT')));
  assert.ok(calls.some((c) => c.startsWith('iptables -t nat -D PREROUTING')));
});

test('the rule builder drops endpoint addresses that are not IPv4 addresses: no node-chosen text reaches the rules', () => {
  const injected = '10.9.9.9/32 -j RETURN\n-I INPUT 1 -s 198.51.100.77';
  const hostile = [injected, 'db.example.com', '10.0.0.256', '-P INPUT DROP', '10.0.0.3 ', 'fe80::1'];
  const entries = [entry('a_web', {
    ports: [{ target: 80, published: 0, protocol: 'tcp', mode: 'ingress' }],
    endpoints: [
      ...hostile.map((a, i) => ({ taskId: `x${i}`, nodeId: `evil${i}`, nodeAddress: a, slot: i + 1, ports: [{ target: 80, protocol: 'tcp' as const, hostPort: 33001 }] })),
      { taskId: 'ok', nodeId: 'other', nodeAddress: '10.0.0.2', slot: 9, ports: [{ target: 80, protocol: 'tcp' as const, hostPort: 33001 }] },
    ],
  })];
  const dropped: string[] = [];
  const ports = taskPorts(entries, 'me', [], (a) => dropped.push(a));
  assert.deepEqual(ports, [{ address: '10.0.0.2', port: 33001, protocol: 'tcp', local: false }]);
  assert.deepEqual(dropped, hostile);
  // isolationRules checks again what it is handed, whoever made it.
  const rules = isolationRules([...ports, { address: injected, port: 33002, protocol: 'tcp', local: false }, { address: '10.0.0.4', port: 70000, protocol: 'tcp', local: false }], chainsOf('me'), ['docker0']);
  assert.ok(!rules.includes('198.51.100.77') && !rules.includes('RETURN\n-I'), rules);
  assert.ok(!rules.includes('70000'));
  const lines = rules.split('\n');
  assert.ok(lines.every((l) => l === '' || l === 'COMMIT' || l.startsWith('*') || l.startsWith(':CLUSTER-me-') || l.startsWith('-A CLUSTER-me-')), rules);
  assert.equal(lines.filter((l) => l.includes('-d 10.0.0.2/32')).length, 1);
});

test('the firewall logs a dropped endpoint address once, escaped, and still applies the other rules', async () => {
  const logs: string[] = [];
  const inputs: string[] = [];
  const iptables: Iptables = async (command, _args, input) => {
    if (command === 'iptables-restore') inputs.push(input ?? '');
    return '';
  };
  const fw = new Firewall({ nodeId: 'me', log: (m) => logs.push(m), iptables, checkMs: 60_000 });
  await fw.start();
  const bad = entry('a_web', {
    ports: [{ target: 80, published: 0, protocol: 'tcp', mode: 'ingress' }],
    endpoints: [
      { taskId: 'x', nodeId: 'evil', nodeAddress: '1.2.3.4\n-P INPUT DROP', slot: 1, ports: [{ target: 80, protocol: 'tcp', hostPort: 33001 }] },
      { taskId: 'y', nodeId: 'other', nodeAddress: '10.0.0.2', slot: 2, ports: [{ target: 80, protocol: 'tcp', hostPort: 33009 }] },
    ],
  });
  await fw.update([bad]);
  await fw.update([{ ...bad, shortName: 'again' }]);
  await fw.stop();
  assert.equal(logs.filter((l) => l.includes('not an IPv4 address')).length, 1, logs.join('\n'));
  assert.ok(logs.some((l) => l.includes('"1.2.3.4\\n-P INPUT DROP" is not an IPv4 address; left out of the rules')), logs.join('\n'));
  const last = inputs.at(-1) ?? '';
  assert.ok(last.includes('-d 10.0.0.2/32 -p tcp -m tcp --dport 33009'), last);
  assert.ok(!inputs.some((i) => i.includes('-P INPUT') || i.includes('1.2.3.4')));
});
