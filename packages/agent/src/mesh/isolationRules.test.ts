import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainsOf, isolationRules, taskPorts } from './isolationRules.js';
import { entry, view } from './testing.js';

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
