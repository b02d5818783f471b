import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staleChains } from './staleChains.js';

const dead = 999999;
const alive = (pid: number): boolean => pid !== dead;

test('chains of a killed agent go, with the chains they jump to, and chains left with no jump at all', () => {
  const listing = [
    '-P PREROUTING ACCEPT',
    '-N CLUSTER-aaa-NAT',
    '-N CLUSTER-aaa-KNL',
    '-N CLUSTER-old-NAT',
    '-N CLUSTER-old-KNL',
    '-N CLUSTER-orphan-IN',
    '-N CLUSTER-me-NAT',
    '-N CLUSTER-me-KNL',
    // A chain of this node with no jump at all (another part of the agent makes it) is its own too.
    '-N CLUSTER-me-OVL',
    `-A PREROUTING -m comment --comment "cluster agent pid ${dead}" -j CLUSTER-old-NAT`,
    `-A PREROUTING -m comment --comment "cluster agent pid ${dead}" -j CLUSTER-me-NAT`,
    '-A PREROUTING -m comment --comment "cluster agent pid 4242" -j CLUSTER-aaa-NAT',
    '-A CLUSTER-aaa-NAT -j CLUSTER-aaa-KNL',
    '-A CLUSTER-old-NAT -j CLUSTER-old-KNL',
    '-A CLUSTER-me-NAT -j CLUSTER-me-KNL',
  ].join('\n');
  // Another live agent's chains (and what they jump to) stay; this node's own stay to be rebuilt.
  assert.deepEqual(staleChains(listing, (c) => c.startsWith('CLUSTER-me-'), alive), ['CLUSTER-old-KNL', 'CLUSTER-old-NAT', 'CLUSTER-orphan-IN']);
});

test('a listing with no cluster chains has nothing stale', () => {
  assert.deepEqual(staleChains('-P INPUT ACCEPT\n-A INPUT -j ACCEPT\n', () => false, alive), []);
});
