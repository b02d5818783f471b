/**
 * The mesh serving task addresses, without an engine: "tasks" are TCP
 * servers on 127.0.0.1, task addresses are 127.77.0.x (all of 127.0.0.0/8 is
 * local already, so the address manager only records), and the stacks of
 * clients are told by their source address.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSocket, type Socket } from 'node:dgram';
import { connect, createServer, type Server } from 'node:net';
import type { RegistryEndpoint, RegistryEntry } from '@cluster/core';
import { Mesh } from './mesh.js';
import { RegistryView } from './view.js';

const TARGET = 18080 + (process.pid % 1000);
const servers: Server[] = [];
const view = new RegistryView();
const local = new Set<string>();
let mesh: Mesh;
const ports: Record<string, number> = {};

/** nameServer answers every connection with its name, then closes. */
async function nameServer(name: string): Promise<number> {
  const s = createServer((c) => c.end(name));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.address() as { port: number }).port;
}

/** ask connects from `from` to host:TARGET; resolves to what came back, '' when refused or closed empty. */
function ask(host: string, from = '127.0.0.2'): Promise<string> {
  return new Promise((resolve) => {
    const c = connect({ host, port: TARGET, localAddress: from });
    let out = '';
    c.on('data', (d) => (out += d.toString()));
    c.on('close', () => resolve(out));
    c.on('error', () => resolve(''));
    c.setTimeout(3000, () => c.destroy());
  });
}

const ep = (taskId: string, address: string): RegistryEndpoint => ({
  taskId, nodeId: 'n1', nodeAddress: '127.0.0.1', slot: 1, ports: [{ target: TARGET, protocol: 'tcp', hostPort: ports[taskId]! }], address,
});
const web = (endpoints: RegistryEndpoint[]): RegistryEntry => ({
  name: 's_web', stack: 's', shortName: 'web', vip: '', aliases: [], networks: [],
  ports: [{ target: TARGET, published: 0, protocol: 'tcp', mode: 'ingress' }], endpoints,
});

/** until waits (at most 2 s) until the mesh's listeners match `ok`. */
async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok(), what);
}
const key = (address: string, task: string): string => `task:${address}:${TARGET}:${task}`;

before(async () => {
  for (const t of ['t1', 't2', 't3']) ports[t] = await nameServer(t);
  view.set([web([ep('t1', '127.77.0.1'), ep('t2', '127.77.0.2')])]);
  mesh = new Mesh({
    view,
    // Clients from 127.0.0.0/29 are of stack s, from 127.0.0.8/29 of stack other.
    stackSubnets: async () => [{ stack: 's', subnet: '127.0.0.0/29' }, { stack: 'other', subnet: '127.0.0.8/29' }],
    dnsAddress: '127.77.0.100',
    dnsPort: 0,
    upstreams: [],
    addresses: { add: async (a) => void local.add(a), remove: async (a) => void local.delete(a), clear: async () => local.clear() },
    log: () => undefined,
  });
  await mesh.start();
});

after(async () => {
  await mesh?.stop();
  for (const s of servers) s.close();
});

test('each task address reaches its own task, every time', async () => {
  assert.ok(mesh.listener(key('127.77.0.1', 't1')) && mesh.listener(key('127.77.0.2', 't2')));
  assert.ok(local.has('127.77.0.1') && local.has('127.77.0.2'), [...local].join(','));
  for (let i = 0; i < 3; i++) {
    assert.equal(await ask('127.77.0.1'), 't1');
    assert.equal(await ask('127.77.0.2'), 't2');
  }
});

test('a task address answers only the stacks that see its service', async () => {
  assert.equal(await ask('127.77.0.1', '127.0.0.9'), '');
});

test('a task that stops serving stops answering; its address passed to another task reaches that one', async () => {
  view.set([web([ep('t2', '127.77.0.2')])]);
  await until('t1 listener stopped', () => !mesh.listener(key('127.77.0.1', 't1')));
  assert.equal(await ask('127.77.0.1'), '');
  assert.equal(local.has('127.77.0.1'), false, 'the address is off the loopback');
  assert.equal(await ask('127.77.0.2'), 't2');
  view.set([web([ep('t2', '127.77.0.2'), ep('t3', '127.77.0.1')])]);
  await until('t3 listener up', () => mesh.listener(key('127.77.0.1', 't3')) !== undefined);
  assert.equal(await ask('127.77.0.1'), 't3');
});

test('with the whole range made local at once, no task address is added one by one', async () => {
  const own = new RegistryView();
  own.set([web([ep('t1', '127.78.0.1'), ep('t2', '127.78.0.2')])]);
  const added: string[] = [];
  const m = new Mesh({
    view: own,
    stackSubnets: async () => [{ stack: 's', subnet: '127.0.0.0/29' }],
    dnsAddress: '127.78.0.100',
    dnsPort: 0,
    upstreams: [],
    addresses: { add: async (a) => void added.push(a), remove: async () => undefined, clear: async () => undefined, addRange: async (r) => void added.push(r) },
    log: () => undefined,
  });
  await m.start();
  try {
    assert.deepEqual(added, ['127.78.0.100', '10.234.0.0/15']);
    assert.equal(await ask('127.78.0.1'), 't1');
    assert.equal(await ask('127.78.0.2'), 't2');
  } finally {
    await m.stop();
  }
});

test('a UDP port of a service is proxied on each task address to that task alone', async () => {
  const sockets: Socket[] = [];
  const udpServer = async (name: string): Promise<number> => {
    const u = createSocket('udp4');
    sockets.push(u);
    u.on('message', (m, r) => u.send(`${name}:${m.toString()}`, r.port, r.address));
    await new Promise<void>((r) => u.bind(0, '127.0.0.1', () => r()));
    return u.address().port;
  };
  const hostPorts = { u1: await udpServer('u1'), u2: await udpServer('u2') };
  const own = new RegistryView();
  const udpEp = (taskId: 'u1' | 'u2', address: string): RegistryEndpoint => ({
    taskId, nodeId: 'n1', nodeAddress: '127.0.0.1', slot: 1, ports: [{ target: TARGET, protocol: 'udp', hostPort: hostPorts[taskId] }], address,
  });
  own.set([{ ...web([udpEp('u1', '127.79.0.1'), udpEp('u2', '127.79.0.2')]), name: 's_dns', shortName: 'dns', ports: [{ target: TARGET, published: 0, protocol: 'udp', mode: 'ingress' }] }]);
  const m = new Mesh({
    view: own,
    stackSubnets: async () => [{ stack: 's', subnet: '127.0.0.0/29' }],
    dnsAddress: '127.79.0.100',
    dnsPort: 0,
    upstreams: [],
    addresses: { add: async () => undefined, remove: async () => undefined, clear: async () => undefined },
    log: () => undefined,
  });
  await m.start();
  const c = createSocket('udp4');
  await new Promise<void>((r) => c.bind(0, '127.0.0.2', () => r()));
  const askUdp = (host: string, msg: string): Promise<string> => new Promise((resolve) => {
    const timer = setTimeout(() => { c.removeAllListeners('message'); resolve(''); }, 1000);
    c.once('message', (reply) => { clearTimeout(timer); resolve(reply.toString()); });
    c.send(msg, TARGET, host);
  });
  try {
    assert.ok(m.listener(`task-udp:127.79.0.1:${TARGET}:u1`));
    for (let i = 0; i < 2; i++) {
      assert.equal(await askUdp('127.79.0.1', `a${i}`), `u1:a${i}`);
      assert.equal(await askUdp('127.79.0.2', `b${i}`), `u2:b${i}`);
    }
  } finally {
    c.close();
    await m.stop();
    for (const u of sockets) u.close();
  }
});
