import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RegistryUpdate__Output, ServiceEntry__Output } from '@cluster/api';
import { RegistryView } from './view.js';

const ep = (taskId: string, nodeAddress = '10.0.0.1', address = ''): RegistryUpdate__Output['services'][number]['endpoints'][number] => ({ taskId, nodeId: 'n', nodeAddress, slot: 1, ports: [], address, networks: [] });
const entry = (name: string, taskIds: string[]): ServiceEntry__Output => ({
  name, stack: 's', shortName: name, vip: '10.233.0.2', ports: [], endpoints: taskIds.map((t) => ep(t)), aliases: [], networks: [], endpointMode: '',
});
const update = (u: Partial<RegistryUpdate__Output>): RegistryUpdate__Output => ({ type: 'INCREMENTAL', services: [], removed: [], endpointChanges: [], peers: [], removedPeers: [], nodeAddresses: null, ...u });

test('the view is the FULL snapshot with the endpoint changes and removals after it applied', () => {
  const view = new RegistryView();
  view.apply(update({ type: 'FULL', services: [entry('s_a', ['t1', 't3']), entry('s_b', ['u1'])] }));
  view.apply(update({ endpointChanges: [{ service: 's_a', upserted: [ep('t2'), ep('t3', '10.0.0.9')], removed: ['t1'] }] }));
  assert.deepEqual(view.get('s_a')?.endpoints.map((e) => [e.taskId, e.nodeAddress]), [['t2', '10.0.0.1'], ['t3', '10.0.0.9']]);
  assert.deepEqual(view.get('s_b')?.endpoints.map((e) => e.taskId), ['u1'], 'other services untouched');
  view.apply(update({ services: [entry('s_c', ['v1'])], removed: ['s_b'] }));
  assert.deepEqual(view.all().map((e) => e.name), ['s_a', 's_c']);
  view.apply(update({ type: 'FULL', services: [entry('s_c', [])] }));
  assert.deepEqual(view.all().map((e) => [e.name, e.endpoints.length]), [['s_c', 0]]);
});

test('task addresses come with endpoints, whole and in changes; an empty one is none', () => {
  const view = new RegistryView();
  view.apply(update({ type: 'FULL', services: [{ ...entry('s_a', []), endpoints: [ep('t1', '10.0.0.1', '10.234.0.1'), ep('t2')] }] }));
  assert.deepEqual(view.get('s_a')?.endpoints.map((e) => [e.taskId, e.address]), [['t1', '10.234.0.1'], ['t2', undefined]]);
  view.apply(update({ endpointChanges: [{ service: 's_a', upserted: [ep('t2', '10.0.0.1', '10.234.0.2')], removed: [] }] }));
  assert.deepEqual(view.get('s_a')?.endpoints.map((e) => e.address), ['10.234.0.1', '10.234.0.2']);
});

test('endpoints whose node or task address is not an IP address, and a VIP that is not IPv4, are left out of the view and logged', () => {
  const logs: string[] = [];
  const view = new RegistryView({ log: (m) => logs.push(m) });
  const injected = '10.9.9.9/32 -j RETURN\n-I INPUT 1 -s 198.51.100.77';
  view.apply(update({ type: 'FULL', services: [{ ...entry('s_a', []), vip: 'evil.example', endpoints: [ep('t1', injected), ep('t2'), ep('t3', '10.0.0.3', '10.234.0.1 -j ACCEPT'), ep('t4', 'fd00::4')] }] }));
  assert.deepEqual(view.get('s_a')?.endpoints.map((e) => e.taskId), ['t2', 't4']);
  assert.equal(view.get('s_a')?.vip, '');
  view.apply(update({ endpointChanges: [{ service: 's_a', upserted: [ep('t5', 'db.example.com'), ep('t6', '10.0.0.6')], removed: [] }] }));
  assert.deepEqual(view.get('s_a')?.endpoints.map((e) => e.taskId), ['t2', 't4', 't6']);
  assert.equal(logs.length, 4, logs.join('\n'));
  assert.ok(logs.some((l) => l.includes('"10.9.9.9/32 -j RETURN\\n-I INPUT 1 -s 198.51.100.77"')), logs.join('\n'));
  assert.ok(logs.every((l) => !l.includes('\n')));
});
