import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadClusterProto, type RegistryUpdate } from '@cluster/api';
import { shareEncoding, withSharedEncoding } from './sharedEncoding.js';

test('a shared registry update is encoded once for every session; other messages each time', () => {
  const def = loadClusterProto().Dispatcher.service;
  const name = Object.keys(def).find((k) => def[k]?.responseStream === true && def[k]?.requestStream === true);
  assert.ok(name, 'the session method');
  const plain = def[name]!;
  const method = withSharedEncoding(def)[name]!;
  const update = shareEncoding<RegistryUpdate>({ type: 'INCREMENTAL', services: [], removed: ['s_x'], endpointChanges: [] });
  const a = method.responseSerialize({ registry: update });
  const b = method.responseSerialize({ registry: update });
  assert.equal(a, b, 'the same bytes');
  assert.deepEqual(a, plain.responseSerialize({ registry: update }));
  const unshared: RegistryUpdate = { type: 'INCREMENTAL', services: [], removed: ['s_y'], endpointChanges: [] };
  assert.notEqual(method.responseSerialize({ registry: unshared }), method.responseSerialize({ registry: unshared }));
  const other = { accepted: { nodeId: 'n', heartbeatPeriodMs: 500 } };
  assert.deepEqual(method.responseSerialize(other), plain.responseSerialize(other));
});
