import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AskerOfAddress, type AddressOwner } from './askers.js';

test('an address is told by its stack network, its networks by the engine list, refreshed when old', async () => {
  let now = 0;
  let lists = 0;
  let owners: AddressOwner[] = [
    { address: '172.20.0.2', stack: 'a', networks: ['a_default', 'shared'] },
    { address: '172.30.0.2', stack: 'a', networks: ['a_default', 'shared'] },
    { address: '172.30.0.3', stack: 'b', networks: ['b_default', 'shared'] },
  ];
  const askers = new AskerOfAddress({
    stackSubnets: async () => [{ stack: 'a', subnet: '172.20.0.0/16' }, { stack: 'b', subnet: '172.21.0.0/16' }],
    owners: async () => { lists++; return owners; },
    now: () => now,
  });
  assert.deepEqual(await askers.lookup('172.20.0.2'), { stack: 'a', networks: ['a_default', 'shared'] });
  // An address on the external network (no stack label on it) is told by the container list.
  assert.deepEqual(await askers.lookup('172.30.0.3'), { stack: 'b', networks: ['b_default', 'shared'] });
  assert.equal(lists, 1);
  assert.deepEqual(await askers.lookup('10.9.9.9'), { stack: '', networks: [] });
  // The address changes hands: after maxAgeMs the new owner is seen.
  owners = [{ address: '172.30.0.3', stack: 'c', networks: ['c_default', 'shared'] }];
  now = 2500;
  assert.deepEqual(await askers.lookup('172.30.0.3'), { stack: 'c', networks: ['c_default', 'shared'] });
  // A listed owner that contradicts the stack network is stale: the network wins.
  assert.deepEqual(await askers.lookup('172.21.0.9'), { stack: 'b', networks: [] });
});
