/**
 * The userspace listeners behind the kernel path, without an engine: a VIP
 * and a published port of one service with a replica "on this node" (t1)
 * and one "on another" (t2), both TCP servers on 127.0.0.1 that answer
 * their name. The kernel path's data come from kernelRules, as in the
 * agent; clients are told apart by their source address (all of 127/8 is
 * local): 127.0.0.0/29 is the service's stack, 127.0.0.8/29 a bridge of
 * another stack on a shared external network (127.0.0.9 its gateway).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect, createServer, type Server } from 'node:net';
import type { RegistryEndpoint, RegistryEntry } from '@cluster/core';
import { kernelRules, kernelSkips, type KernelClients } from './kernelPath.js';
import { Mesh } from './mesh.js';
import { RegistryView } from './view.js';

const TARGET = 19080 + (process.pid % 1000);
const PUBLISHED = 21080 + (process.pid % 1000);
const VIP = '127.78.0.5';
const servers: Server[] = [];
const view = new RegistryView();
const ports: Record<string, number> = {};
let clients: KernelClients;
let mesh: Mesh;

async function nameServer(name: string): Promise<number> {
  const s = createServer((c) => c.end(name));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.address() as { port: number }).port;
}

/** ask connects from `from` to host:port; resolves to what came back, '' when refused or closed empty. */
function ask(host: string, port: number, from: string): Promise<string> {
  return new Promise((resolve) => {
    const c = connect({ host, port, localAddress: from });
    let out = '';
    c.on('data', (d) => (out += d.toString()));
    c.on('close', () => resolve(out));
    c.on('error', () => resolve(''));
    c.setTimeout(3000, () => c.destroy());
  });
}

/** answers asks 8 times and returns the distinct answers, sorted. */
async function answers(host: string, port: number, from: string): Promise<string[]> {
  const seen = new Set<string>();
  for (let i = 0; i < 8; i++) seen.add(await ask(host, port, from));
  return [...seen].sort();
}

const ep = (taskId: string, nodeId: string): RegistryEndpoint => ({
  taskId, nodeId, nodeAddress: '127.0.0.1', slot: 1, ports: [{ target: TARGET, protocol: 'tcp', hostPort: ports[taskId]! }],
});

before(async () => {
  for (const t of ['t1', 't2']) ports[t] = await nameServer(t);
  const entry: RegistryEntry = {
    name: 's_web', stack: 's', shortName: 'web', vip: VIP, aliases: [], networks: ['shared'],
    ports: [{ target: TARGET, published: PUBLISHED, protocol: 'tcp', mode: 'ingress' }], endpoints: [ep('t1', 'me'), ep('t2', 'other')],
  };
  view.set([entry]);
  clients = kernelRules({
    entries: [entry],
    nodeId: 'me',
    locals: new Map([['t1', ['127.0.0.3']]]),
    subnets: [{ stack: 's', subnet: '127.0.0.0/29' }, { stack: 'other', subnet: '127.0.0.8/29' }],
    publishAddresses: ['0.0.0.0'],
    bridges: [{ subnet: '127.0.0.8/29', gateway: '127.0.0.9' }],
  }).clients;
  mesh = new Mesh({
    view,
    stackSubnets: async () => [{ stack: 's', subnet: '127.0.0.0/29' }, { stack: 'other', subnet: '127.0.0.8/29' }],
    owners: async () => [{ address: '127.0.0.10', stack: 'other', networks: ['shared'] }],
    publishAddresses: ['0.0.0.0'],
    dnsAddress: '127.78.0.100',
    dnsPort: 0,
    upstreams: [],
    addresses: { add: async () => undefined, remove: async () => undefined, clear: async () => undefined },
    kernelSkips: (l, source) => kernelSkips(clients, l, source),
    log: () => undefined,
  });
  await mesh.start();
});

after(async () => {
  await mesh?.stop();
  for (const s of servers) s.close();
});

test('at a VIP, a client of the service\'s stack (which the kernel path handles) gets the remote replica only; a container of another stack on a shared network gets both', async () => {
  assert.deepEqual(await answers(VIP, TARGET, '127.0.0.2'), ['t2']);
  assert.deepEqual(await answers(VIP, TARGET, '127.0.0.10'), ['t1', 't2']);
});

test('at a published port, a host or external client gets the remote replica only; a container from a bridge gets both', async () => {
  assert.deepEqual(await answers('127.0.0.1', PUBLISHED, '127.0.0.2'), ['t2']);
  assert.deepEqual(await answers('127.0.0.1', PUBLISHED, '127.0.0.9'), ['t2'], 'the bridge\'s gateway is this host');
  assert.deepEqual(await answers('127.0.0.1', PUBLISHED, '127.0.0.10'), ['t1', 't2']);
});
