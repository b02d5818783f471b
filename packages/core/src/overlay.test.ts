import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocateNetworks, allocateNodeIndex, cleanNetworkAddresses, isIPv4, OVERLAY_POOL, overlayGateway, overlayNodeRange, overlayPeer, overlaySubnet, poolSlotOf, serviceNetworkNames } from './overlay.js';

test('networks get disjoint subnets and VNIs round the pool, and keep them', () => {
  const first = allocateNetworks({}, ['s_default', 's_back', 's_default'], -1);
  assert.deepEqual(first.added, { s_default: { subnet: '10.128.0.0/16', vni: 4096 }, s_back: { subnet: '10.129.0.0/16', vni: 4097 } });
  assert.deepEqual(first.full, []);
  // A freed slot comes back as late as possible: the next allocation goes on after the last one.
  const again = allocateNetworks({ s_back: first.added.s_back! }, ['t_default'], first.last);
  assert.deepEqual(again.added, { t_default: { subnet: '10.130.0.0/16', vni: 4098 } });
  assert.deepEqual(allocateNetworks(first.added, ['s_back'], first.last).added, {});
});

test('a full pool says which networks got nothing', () => {
  const names = Array.from({ length: OVERLAY_POOL.count + 2 }, (_, i) => `n${i}`);
  const r = allocateNetworks({}, names, -1);
  assert.equal(Object.keys(r.added).length, OVERLAY_POOL.count);
  assert.deepEqual(r.full, ['n64', 'n65']);
  assert.equal(new Set(Object.values(r.added).map((a) => a.subnet)).size, OVERLAY_POOL.count);
});

test('each node takes addresses from its own /24 of every subnet; the gateway is outside every node range', () => {
  const s = overlaySubnet(3);
  assert.equal(s, '10.131.0.0/16');
  assert.equal(poolSlotOf(s), 3);
  assert.equal(poolSlotOf('10.127.0.0/16'), -1);
  assert.equal(overlayNodeRange(s, 1), '10.131.1.0/24');
  assert.equal(overlayNodeRange(s, 254), '10.131.254.0/24');
  assert.equal(overlayGateway(s), '10.131.0.1');
  assert.equal(allocateNodeIndex([1, 2, 4]), 3);
  assert.equal(allocateNodeIndex(Array.from({ length: 254 }, (_, i) => i + 1)), 0);
});

test('addresses reported by a node are kept only when well formed', () => {
  assert.ok(isIPv4('10.128.1.2'));
  for (const bad of ['10.128.1', '10.128.1.256', '010.1.1.1', '10.9.9.9/32 -j RETURN', '']) assert.ok(!isIPv4(bad), bad);
  const got = cleanNetworkAddresses([
    { network: 's_default', address: '10.128.1.2', mac: '02:42:0A:80:01:02' },
    { network: 's_back', address: '10.9.9.9\n-I INPUT', mac: '02:42:0a:80:01:03' },
    { network: 'x -j ACCEPT', address: '10.128.1.4', mac: '02:42:0a:80:01:04' },
    { network: 's_x', address: '10.128.1.5', mac: 'zz:42:0a:80:01:05' },
  ]);
  assert.deepEqual(got, [{ network: 's_default', address: '10.128.1.2', mac: '02:42:0a:80:01:02' }]);
});

test('a task is a peer while its container runs on a node that is up, serving or not', () => {
  const networks = [{ network: 's_default', address: '10.128.1.2', mac: '02:42:0a:80:01:02' }];
  const up = { status: 'ready', address: '10.0.0.1' };
  assert.deepEqual(overlayPeer({ id: 't1', state: 'starting', networks }, up), { taskId: 't1', nodeAddress: '10.0.0.1', addresses: networks });
  assert.ok(overlayPeer({ id: 't1', state: 'running', networks }, up));
  assert.equal(overlayPeer({ id: 't1', state: 'failed', networks }, up), undefined);
  assert.equal(overlayPeer({ id: 't1', state: 'running', networks }, { status: 'down', address: '10.0.0.1' }), undefined);
  assert.equal(overlayPeer({ id: 't1', state: 'running' }, up), undefined);
});

test('a service is on the networks it lists, or on its stack\'s default network', () => {
  assert.deepEqual(serviceNetworkNames('s', {}), ['s_default']);
  assert.deepEqual(serviceNetworkNames('s', { networks: [{ name: 's_back' }, { name: 'shared' }] }), ['s_back', 'shared']);
});
