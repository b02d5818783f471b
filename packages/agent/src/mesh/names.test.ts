import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RegistryEntry } from '@cluster/core';
import { lookupName } from './names.js';

const entry = (stack: string, short: string, vip: string, nodes: string[] = []): RegistryEntry => ({
  name: `${stack}_${short}`, stack, shortName: short, vip, ports: [], aliases: short === 'db' ? ['database'] : [],
  endpoints: nodes.map((a, i) => ({ taskId: `t${i}`, nodeId: `n${i}`, nodeAddress: a, slot: i + 1, ports: [] })),
});
const entries = [entry('a', 'web', '10.233.0.2', ['10.1.0.1', '10.1.0.2', '10.1.0.2']), entry('a', 'db', '10.233.0.3'), entry('b', 'web', '10.233.0.4')];

test('a service resolves to its VIP by short name, service.stack, full name and alias', () => {
  for (const n of ['web', 'WEB.', 'web.a', 'a_web']) assert.deepEqual(lookupName(entries, 'a', n), { kind: 'addresses', addresses: ['10.233.0.2'] }, n);
  assert.deepEqual(lookupName(entries, 'a', 'database'), { kind: 'addresses', addresses: ['10.233.0.3'] });
});

test('tasks.service lists the node of every serving task once', () => {
  assert.deepEqual(lookupName(entries, 'a', 'tasks.web'), { kind: 'addresses', addresses: ['10.1.0.1', '10.1.0.2'] });
  assert.deepEqual(lookupName(entries, 'a', 'tasks.db.a'), { kind: 'addresses', addresses: [] });
});

test('a stack never resolves the services of another stack', () => {
  assert.deepEqual(lookupName(entries, 'b', 'db'), { kind: 'nxdomain' });
  assert.deepEqual(lookupName(entries, 'b', 'db.a'), { kind: 'nxdomain' });
  assert.deepEqual(lookupName(entries, 'b', 'a_db'), { kind: 'nxdomain' });
  assert.deepEqual(lookupName(entries, 'b', 'web'), { kind: 'addresses', addresses: ['10.233.0.4'] });
  assert.deepEqual(lookupName(entries, '', 'web'), { kind: 'nxdomain' });
});

test('other names go to the host resolvers', () => {
  assert.deepEqual(lookupName(entries, 'a', 'example.org'), { kind: 'forward' });
});
