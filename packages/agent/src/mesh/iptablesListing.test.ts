import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterJumps, jumpFirst, splitArgs } from './iptablesListing.js';

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
