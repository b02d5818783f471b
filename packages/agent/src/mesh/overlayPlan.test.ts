import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OverlayPeer, RegistryEntry } from '@cluster/core';
import { desiredLinks, linkCommands, overlayChainsOf, overlayRules, type LocalNetwork } from './overlayPlan.js';

const local: LocalNetwork[] = [{ name: 's_default', vni: 4096, bridge: 'br-0123456789ab' }];
const peer = (taskId: string, nodeAddress: string, address: string, mac: string, network = 's_default'): OverlayPeer => ({ taskId, nodeAddress, addresses: [{ network, address, mac }] });

test('remote containers of local networks get a neighbour and a forwarding entry; this node\'s and other networks\' do not', () => {
  const links = desiredLinks('10.0.0.1', local, [
    peer('a', '10.0.0.2', '10.128.2.0', '02:42:0a:80:02:00'),
    peer('b', '10.0.0.1', '10.128.1.0', '02:42:0a:80:01:00'),
    peer('c', '10.0.0.3', '10.129.3.0', '02:42:0a:81:03:00', 't_default'),
    peer('d', '10.0.0.3; reboot', '10.128.3.1', '02:42:0a:80:03:01'),
  ]);
  assert.deepEqual([...links.values()], [{ device: 'clvx4096', address: '10.128.2.0', mac: '02:42:0a:80:02:00', remote: '10.0.0.2' }]);
});

test('link commands add what is new, move what changed and delete what is gone', () => {
  const before = desiredLinks('10.0.0.1', local, [peer('a', '10.0.0.2', '10.128.2.0', '02:42:0a:80:02:00'), peer('b', '10.0.0.3', '10.128.3.0', '02:42:0a:80:03:00')]);
  const after = desiredLinks('10.0.0.1', local, [peer('a', '10.0.0.4', '10.128.2.0', '02:42:0a:80:02:00'), peer('c', '10.0.0.3', '10.128.3.5', '02:42:0a:80:03:05')]);
  const { ip, bridge } = linkCommands(before, after);
  assert.deepEqual(ip, [
    'neigh del 10.128.3.0 dev clvx4096',
    'neigh replace 10.128.2.0 lladdr 02:42:0a:80:02:00 dev clvx4096 nud permanent',
    'neigh replace 10.128.3.5 lladdr 02:42:0a:80:03:05 dev clvx4096 nud permanent',
  ]);
  assert.deepEqual(bridge, [
    'fdb del 02:42:0a:80:02:00 dev clvx4096 dst 10.0.0.2 self',
    'fdb del 02:42:0a:80:03:00 dev clvx4096 dst 10.0.0.3 self',
    'fdb replace 02:42:0a:80:02:00 dev clvx4096 dst 10.0.0.4 self permanent',
    'fdb replace 02:42:0a:80:03:05 dev clvx4096 dst 10.0.0.3 self permanent',
  ]);
  assert.deepEqual(linkCommands(after, after), { ip: [], bridge: [] });
});

const entry = (name: string, vip: string, addresses: string[], network = 's_default'): RegistryEntry => ({
  name, stack: 's', shortName: name.slice(2), vip, ports: [], aliases: [],
  endpoints: addresses.map((a, i) => ({ taskId: `t${i}`, nodeId: 'n', nodeAddress: '10.0.0.2', slot: i + 1, ports: [], networks: [{ network, address: a, mac: '02:42:0a:80:02:00' }] })),
});

test('a VIP is DNATed from its networks\' bridges to every serving address with the same chance, on any port', () => {
  const chains = overlayChainsOf('node1');
  const r = overlayRules(chains, local, [entry('s_db', '10.233.0.2', ['10.128.2.0', '10.128.1.0', '10.128.3.0']), entry('s_none', '10.233.0.3', [])], ['10.0.0.2', '10.0.0.1'], 4789);
  const lines = r.restore.split('\n');
  const [chain] = r.serviceChains;
  assert.ok(chain?.startsWith('CLUSTER-node1-V') && chain.length <= 28);
  assert.ok(lines.includes(`-A CLUSTER-node1-OVL -i br-0123456789ab -d 10.233.0.2/32 -j ${chain}`));
  assert.deepEqual(lines.filter((l) => l.startsWith(`-A ${chain} `)), [
    `-A ${chain} -m statistic --mode random --probability 0.3333333333 -j DNAT --to-destination 10.128.1.0`,
    `-A ${chain} -m statistic --mode random --probability 0.5000000000 -j DNAT --to-destination 10.128.2.0`,
    `-A ${chain} -j DNAT --to-destination 10.128.3.0`,
  ]);
  assert.ok(!r.restore.includes('10.233.0.3'), 'a service with no serving address has no rule');
  assert.deepEqual(lines.filter((l) => l.includes('-VXL -p')), [
    '-A CLUSTER-node1-VXL -p udp --dport 4789 -s 10.0.0.1/32 -j RETURN',
    '-A CLUSTER-node1-VXL -p udp --dport 4789 -s 10.0.0.2/32 -j RETURN',
    '-A CLUSTER-node1-VXL -p udp --dport 4789 -j DROP',
  ]);
});

test('no value that is not what it should be reaches the rules', () => {
  const chains = overlayChainsOf('node1');
  const evil = [entry('s_a', '10.233.0.2 -j ACCEPT', ['10.128.2.0']), entry('s_b', '10.233.0.4', ['10.128.2.0\n-P INPUT DROP'])];
  const badBridge: LocalNetwork[] = [{ name: 's_default', vni: 4096, bridge: 'br-x -j DROP' }];
  const r = overlayRules(chains, [...local, ...badBridge], evil, ['10.9.9.9/32 -j RETURN\n-I INPUT 1 -s 198.51.100.77'], 4789);
  assert.ok(!/ACCEPT|-P INPUT|198\.51|br-x/.test(r.restore), r.restore);
  assert.deepEqual(r.serviceChains, []);
});

test('chains of services that are gone are deleted on the next rebuild', () => {
  const chains = overlayChainsOf('node1');
  const first = overlayRules(chains, local, [entry('s_db', '10.233.0.2', ['10.128.2.0'])], [], 4789);
  const second = overlayRules(chains, local, [], [], 4789, first.serviceChains);
  assert.ok(second.restore.includes(`-X ${first.serviceChains[0]}`));
  assert.deepEqual(second.serviceChains, []);
});
