import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Asker, RegistryEntry } from '@cluster/core';
import { lookupName as lookup } from './names.js';

/** lookupName asks as a container of `stack` on its default network only. */
const lookupName = (entries: RegistryEntry[], stack: string, qname: string) => lookup(entries, stack === '' ? { stack, networks: [] } : { stack, networks: [`${stack}_default`] }, qname);

const entry = (stack: string, short: string, vip: string, nodes: string[] = []): RegistryEntry => ({
  name: `${stack}_${short}`, stack, shortName: short, vip, ports: [], aliases: short === 'db' ? ['database'] : [],
  endpoints: nodes.map((a, i) => ({ taskId: `t${i}`, nodeId: `n${i}`, nodeAddress: a, slot: i + 1, ports: [] })),
});
const entries = [entry('a', 'web', '10.233.0.2', ['10.1.0.1', '10.1.0.2', '10.1.0.2']), entry('a', 'db', '10.233.0.3'), entry('b', 'web', '10.233.0.4')];

test('a service resolves to its VIP by short name, service.stack, full name and alias', () => {
  for (const n of ['web', 'WEB.', 'web.a', 'a_web']) assert.deepEqual(lookupName(entries, 'a', n), { kind: 'addresses', addresses: ['10.233.0.2'] }, n);
  assert.deepEqual(lookupName(entries, 'a', 'database'), { kind: 'addresses', addresses: ['10.233.0.3'] });
});

test('tasks.service of a service without ports lists the node of every serving task once', () => {
  assert.deepEqual(lookupName(entries, 'a', 'tasks.web'), { kind: 'addresses', addresses: ['10.1.0.1', '10.1.0.2'] });
  assert.deepEqual(lookupName(entries, 'a', 'tasks.db.a'), { kind: 'addresses', addresses: [] });
});

test('tasks.service of a service with ports gives the address of every serving task, two on one node included', () => {
  const api: RegistryEntry = {
    ...entry('a', 'api', '10.233.0.5'),
    ports: [{ target: 80, published: 0, protocol: 'tcp', mode: 'ingress' }],
    endpoints: [
      { taskId: 't1', nodeId: 'n1', nodeAddress: '10.1.0.1', slot: 1, ports: [{ target: 80, protocol: 'tcp', hostPort: 30001 }], address: '10.234.0.7' },
      { taskId: 't2', nodeId: 'n1', nodeAddress: '10.1.0.1', slot: 2, ports: [{ target: 80, protocol: 'tcp', hostPort: 30002 }], address: '10.234.0.9' },
      // No task address (the range was full): left out rather than answered with its node.
      { taskId: 't3', nodeId: 'n2', nodeAddress: '10.1.0.2', slot: 3, ports: [{ target: 80, protocol: 'tcp', hostPort: 30003 }] },
    ],
  };
  const all = [...entries, api, { ...api, name: 'b_api', stack: 'b', networks: ['shared'] }];
  const two = { kind: 'addresses', addresses: ['10.234.0.7', '10.234.0.9'] };
  for (const n of ['tasks.api', 'TASKS.API.A.', 'tasks.api.a', 'tasks.a_api']) assert.deepEqual(lookupName(all, 'a', n), two, n);
  assert.deepEqual(lookupName(all, 'a', 'api'), { kind: 'addresses', addresses: ['10.233.0.5'] }, 'the service name still gives the VIP');
  assert.deepEqual(lookupName(all, 'c', 'tasks.api'), { kind: 'nxdomain' }, 'another stack does not see them');
  // Through an external network: by the other stack's name.
  assert.deepEqual(lookup(all, { stack: 'c', networks: ['c_default', 'shared'] }, 'tasks.api.b'), two);
  assert.deepEqual(lookup(all, { stack: 'c', networks: ['c_default', 'shared'] }, 'tasks.b_api'), two);
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

test('stacks on the same external network resolve each other; others do not', () => {
  const shared = (stack: string, short: string, vip: string): RegistryEntry => ({ ...entry(stack, short, vip), networks: ['shared'] });
  const all = [shared('a', 'api', '10.233.0.10'), entry('a', 'db', '10.233.0.11'), shared('b', 'front', '10.233.0.12'), shared('b', 'db', '10.233.0.13'), entry('c', 'x', '10.233.0.14')];
  const b: Asker = { stack: 'b', networks: ['b_default', 'shared'] };
  const vip = (v: string) => ({ kind: 'addresses', addresses: [v] });
  for (const n of ['api', 'api.a', 'a_api']) assert.deepEqual(lookup(all, b, n), vip('10.233.0.10'), n);
  // Its own stack's name wins; a service of A not on the network stays hidden.
  assert.deepEqual(lookup(all, b, 'db'), vip('10.233.0.13'));
  assert.deepEqual(lookup(all, { stack: 'a', networks: ['a_default', 'shared'] }, 'db'), vip('10.233.0.11'));
  assert.deepEqual(lookup(all, { stack: 'a', networks: ['a_default', 'shared'] }, 'db.b'), vip('10.233.0.13'));
  assert.deepEqual(lookup(all, b, 'a_db'), { kind: 'nxdomain' });
  assert.deepEqual(lookup(all, b, 'db.a'), { kind: 'nxdomain' });
  // A stack not on the network sees none of it.
  const c: Asker = { stack: 'c', networks: ['c_default'] };
  for (const n of ['api', 'api.a', 'a_api', 'front', 'tasks.api']) assert.deepEqual(lookup(all, c, n), { kind: 'nxdomain' }, n);
  assert.deepEqual(lookup(all, c, 'x'), vip('10.233.0.14'));
});

test('tasks.service gives each task\'s own address on a network the asker shares with it (the overlay)', () => {
  const db: RegistryEntry = {
    ...entry('a', 'pg', '10.233.0.6'),
    endpoints: [
      { taskId: 't1', nodeId: 'n1', nodeAddress: '10.1.0.1', slot: 1, ports: [], networks: [{ network: 'a_default', address: '10.128.1.0', mac: '02:42:0a:80:01:00' }, { network: 'a_back', address: '10.129.1.0', mac: '02:42:0a:81:01:00' }] },
      { taskId: 't2', nodeId: 'n2', nodeAddress: '10.1.0.2', slot: 2, ports: [], networks: [{ network: 'a_back', address: '10.129.2.0', mac: '02:42:0a:81:02:00' }] },
    ],
  };
  assert.deepEqual(lookup([db], { stack: 'a', networks: ['a_back'] }, 'tasks.pg'), { kind: 'addresses', addresses: ['10.129.1.0', '10.129.2.0'] });
  assert.deepEqual(lookup([db], { stack: 'a', networks: ['a_default'] }, 'tasks.pg'), { kind: 'addresses', addresses: ['10.128.1.0'] });
  assert.deepEqual(lookup([db], { stack: 'a', networks: ['a_back'] }, 'pg'), { kind: 'addresses', addresses: ['10.233.0.6'] }, 'the name itself is the VIP');
  // endpoint_mode: dnsrr: the name itself gives the tasks' addresses.
  assert.deepEqual(lookup([{ ...db, endpointMode: 'dnsrr' }], { stack: 'a', networks: ['a_back'] }, 'pg'), { kind: 'addresses', addresses: ['10.129.1.0', '10.129.2.0'] });
});
