import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node, Service, Task } from '@cluster/core';
import type { RegistryUpdate } from '@cluster/api';
import { SqliteStore } from './sqliteStore.js';
import { Registry } from './registry.js';

const dir = mkdtempSync(join(tmpdir(), 'registry-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const node: Node = {
  id: 'n1', name: 'lab1', role: 'worker', address: '10.231.0.11', hostname: 'h', labels: {}, availability: 'active', status: 'ready',
  statusMessage: '', lastHeartbeat: 0, engineVersion: '', nanoCpus: 0, memoryBytes: 0, createdAt: 0,
};
const service: Service = {
  name: 's_web', stack: 's', specVersion: 1, createdAt: 0, updatedAt: 0,
  spec: { name: 'web', image: 'i', env: {}, labels: {}, ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }], mode: 'replicated', replicas: 1, restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000 },
};
const task: Task = {
  id: 't1', stack: 's', service: 's_web', slot: 1, nodeId: 'n1', desiredState: 'running', state: 'running', containerId: 'c', error: '', exitCode: 0,
  health: '', specVersion: 1, createdAt: 0, updatedAt: 0, ports: [{ target: 80, protocol: 'tcp', hostPort: 32768 }],
};

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

test('the registry allocates and stores a VIP, and publishes endpoint changes on the next turn', async () => {
  const store = SqliteStore.open(join(dir, 'a.db'));
  const published: RegistryUpdate[] = [];
  const reg = new Registry({ store, log: { info() {}, warn() {}, error() {} } as never, publish: (u) => published.push(u) });
  store.update({ putNodes: [node], putServices: [service], putTasks: [task] });
  reg.start();
  try {
    const vip = store.service('s_web')?.vip;
    assert.equal(vip, '10.233.0.2');
    const full = reg.snapshot();
    assert.equal(full.type, 'FULL');
    assert.deepEqual(full.services?.[0]?.endpoints?.map((e) => [e.nodeAddress, e.ports?.[0]?.hostPort]), [['10.231.0.11', 32768]]);

    const base = published.length;
    store.update({ putTasks: [{ ...task, health: 'unhealthy' }] });
    reg.kick();
    await turn();
    assert.equal(published.length, base + 1);
    assert.equal(published.at(-1)?.type, 'INCREMENTAL');
    assert.deepEqual(published.at(-1)?.services, [], 'the service itself did not change');
    assert.deepEqual(published.at(-1)?.endpointChanges, [{ service: 's_web', upserted: [], removed: ['t1'] }]);

    store.update({ putTasks: [task] });
    reg.kick();
    await turn();
    assert.deepEqual(published.at(-1)?.endpointChanges?.[0]?.upserted?.map((e) => [e.taskId, e.nodeAddress, e.ports?.[0]?.hostPort]), [['t1', '10.231.0.11', 32768]]);

    store.update({ putNodes: [{ ...node, status: 'down' }] });
    reg.kick();
    await turn();
    assert.deepEqual(published.at(-1)?.endpointChanges?.[0]?.removed, ['t1']);

    const before = published.length;
    reg.kick();
    await turn();
    assert.equal(published.length, before, 'nothing changed, nothing sent');

    store.update({ deleteServices: ['s_web'] });
    reg.kick();
    await turn();
    assert.deepEqual(published.at(-1)?.removed, ['s_web']);
  } finally {
    reg.stop();
    store.close();
  }
});

test('a change of one task sends only its service, and only that endpoint; a new service comes whole', async () => {
  const store = SqliteStore.open(join(dir, 'b.db'));
  const published: RegistryUpdate[] = [];
  const reg = new Registry({ store, log: { info() {}, warn() {}, error() {} } as never, publish: (u) => published.push(u) });
  const api = { ...service, name: 's_api', createdAt: 1, spec: { ...service.spec, name: 'api', ports: [] } };
  const tasks = [1, 2, 3].flatMap((i) => [{ ...task, id: `w${i}`, slot: i }, { ...task, id: `a${i}`, service: 's_api', slot: i, ports: [] }]);
  store.update({ putNodes: [node], putServices: [service, api], putTasks: tasks });
  reg.start();
  try {
    // s_api has no ports: agents get one endpoint per node (forAgents).
    assert.deepEqual(reg.snapshot().services?.map((s) => [s.name, s.endpoints?.map((e) => e.taskId)]), [['s_api', ['a1']], ['s_web', ['w1', 'w2', 'w3']]]);
    const base = published.length;
    store.update({ putTasks: [{ ...task, id: 'w2', slot: 2, state: 'failed', desiredState: 'shutdown' }] });
    reg.kick();
    await turn();
    assert.equal(published.length, base + 1);
    const u = published.at(-1);
    assert.deepEqual(u?.services, []);
    assert.deepEqual(u?.removed, []);
    assert.deepEqual(u?.endpointChanges, [{ service: 's_web', upserted: [], removed: ['w2'] }]);

    store.update({ putTasks: [{ ...task, id: 'w4', slot: 4 }] });
    reg.kick();
    await turn();
    assert.deepEqual(published.at(-1)?.endpointChanges?.map((c) => [c.service, c.upserted?.map((e) => e.taskId), c.removed]), [['s_web', ['w4'], []]]);

    const db = { ...service, name: 's_db', createdAt: 2, spec: { ...service.spec, name: 'db', ports: [] } };
    store.update({ putServices: [db], putTasks: [{ ...task, id: 'd1', service: 's_db', ports: [] }] });
    reg.kick();
    await turn();
    assert.deepEqual(published.at(-1)?.services?.map((s) => [s.name, s.endpoints?.map((e) => e.taskId)]), [['s_db', ['d1']]]);
    assert.deepEqual(published.at(-1)?.endpointChanges, []);
    assert.equal(reg.snapshot().services?.length, 3, 'a session opening now gets everything');
  } finally {
    reg.stop();
    store.close();
  }
});

test('serving tasks of a service with ports get task addresses, stored and kept across a manager restart', async () => {
  const path = join(dir, 'c.db');
  let store = SqliteStore.open(path);
  const published: RegistryUpdate[] = [];
  const quiet = { ...service, name: 's_quiet', createdAt: 1, spec: { ...service.spec, name: 'quiet', ports: [] } };
  const log = { info() {}, warn() {}, error() {} } as never;
  store.update({ putNodes: [node], putServices: [service, quiet], putTasks: [task, { ...task, id: 't2', slot: 2 }, { ...task, id: 'q1', service: 's_quiet', ports: [] }] });
  let reg = new Registry({ store, log, publish: (u) => published.push(u) });
  reg.start();
  let first: (string | undefined)[];
  try {
    const addresses = (): [string | undefined, string | undefined][] => (reg.snapshot().services ?? []).flatMap((s) => (s.endpoints ?? []).map((e): [string | undefined, string | undefined] => [e.taskId, e.address]));
    // Two tasks on one node: two addresses. The service without ports gets none.
    assert.deepEqual(addresses(), [['q1', ''], ['t1', '10.234.0.1'], ['t2', '10.234.0.2']]);
    first = ['t1', 't2'].map((id) => store.task(id)?.address);
    assert.deepEqual(first, ['10.234.0.1', '10.234.0.2'], 'stored with the task');
    assert.equal(store.task('q1')?.address, undefined);

    // A new task comes as one endpoint change, with its address.
    const base = published.length;
    store.update({ putTasks: [{ ...task, id: 't3', slot: 3 }] });
    reg.kick();
    await turn();
    assert.equal(published.length, base + 1);
    assert.deepEqual(published.at(-1)?.endpointChanges?.map((c) => [c.service, c.upserted?.map((e) => [e.taskId, e.address]), c.removed]), [['s_web', [['t3', '10.234.0.3']], []]]);
  } finally {
    reg.stop();
    store.close();
  }

  // A restarted manager reads the addresses back; t2 is gone meanwhile, and a new task does not get t1's or t3's.
  store = SqliteStore.open(path);
  store.update({ deleteTasks: ['t2'], putTasks: [{ ...task, id: 't4', slot: 4 }] });
  reg = new Registry({ store, log, publish: (u) => published.push(u) });
  reg.start();
  try {
    assert.equal(store.task('t1')?.address, '10.234.0.1');
    assert.equal(store.task('t3')?.address, '10.234.0.3');
    const t4 = store.task('t4')?.address;
    assert.ok(t4 && !['10.234.0.1', '10.234.0.3'].includes(t4), `t4 got ${t4}`);
  } finally {
    reg.stop();
    store.close();
  }
});

test('a full range of task addresses is logged once, and the tasks without one still serve through the VIP', async () => {
  const store = SqliteStore.open(join(dir, 'd.db'));
  const warnings: string[] = [];
  const reg = new Registry({ store, log: { info() {}, warn: (m: string) => warnings.push(m), error() {} } as never, publish: () => undefined, taskAddresses: { first: 1, last: 1 } });
  store.update({ putNodes: [node], putServices: [service], putTasks: [task, { ...task, id: 't2', slot: 2 }] });
  reg.start();
  try {
    reg.kick();
    await turn();
    assert.deepEqual(warnings, ['registry: 1 serving tasks have no task address: task addresses: all 1 addresses of 10.234.0.0/15 are held by live tasks; task t2 gets none']);
    assert.deepEqual(reg.current()[0]?.endpoints.map((e) => [e.taskId, e.address]), [['t1', '10.234.0.1'], ['t2', undefined]]);
  } finally {
    reg.stop();
    store.close();
  }
});

test('overlay peers: every running container with addresses, serving or not, is sent; one that stops is removed; node addresses come along', async () => {
  const store = SqliteStore.open(join(dir, 'peers.db'));
  const published: RegistryUpdate[] = [];
  const reg = new Registry({ store, log: { info() {}, warn() {}, error() {} } as never, publish: (u) => published.push(u) });
  const db: Service = { ...service, name: 's_db', spec: { ...service.spec, name: 'db', ports: [] } };
  const networks = [{ network: 's_default', address: '10.128.1.0', mac: '02:42:0a:80:01:00' }];
  const starting: Task = { ...task, id: 'd1', service: 's_db', ports: [], health: 'starting', networks };
  store.update({ putNodes: [node], putServices: [db], putTasks: [starting] });
  reg.start();
  try {
    const full = reg.snapshot();
    assert.deepEqual(full.peers, [{ taskId: 'd1', nodeAddress: '10.231.0.11', networks }]);
    assert.deepEqual(full.nodeAddresses, { addresses: ['10.231.0.11'] });
    assert.deepEqual(full.services?.[0]?.endpoints, [], 'a task still starting is a peer, not an endpoint');

    store.update({ putTasks: [{ ...starting, health: 'healthy' }] });
    reg.kick();
    await turn();
    const up = published.at(-1);
    assert.deepEqual(up?.endpointChanges?.[0]?.upserted?.map((e) => e.networks), [networks], 'serving: its overlay address is in its endpoint');
    assert.deepEqual(up?.peers, [], 'the peer did not change');

    store.update({ putTasks: [{ ...starting, state: 'failed', health: '', networks: undefined as never }] });
    reg.kick();
    await turn();
    assert.deepEqual(published.at(-1)?.removedPeers, ['d1']);
    assert.equal(published.at(-1)?.nodeAddresses, undefined, 'unchanged node addresses are not sent again');
  } finally {
    reg.stop();
    store.close();
  }
});

test('overlay peers: a node removed from the cluster takes its peers and its address out of every agent\'s tables', async () => {
  const store = SqliteStore.open(join(dir, 'peers-rm.db'));
  const published: RegistryUpdate[] = [];
  const reg = new Registry({ store, log: { info() {}, warn() {}, error() {} } as never, publish: (u) => published.push(u) });
  const db: Service = { ...service, name: 's_db', spec: { ...service.spec, name: 'db', ports: [] } };
  const other: Node = { ...node, id: 'n2', name: 'lab2', address: '10.231.0.12' };
  const networks = [{ network: 's_default', address: '10.128.2.0', mac: '02:42:0a:80:02:00' }];
  store.update({ putNodes: [node, other], putServices: [db], putTasks: [{ ...task, id: 'd2', service: 's_db', nodeId: 'n2', ports: [], networks }] });
  reg.start();
  try {
    assert.deepEqual(reg.snapshot().peers?.map((p) => p.nodeAddress), ['10.231.0.12']);
    store.update({ deleteNodes: ['n2'] });
    reg.kick();
    await turn();
    const u = published.at(-1);
    assert.deepEqual(u?.removedPeers, ['d2']);
    assert.deepEqual(u?.nodeAddresses, { addresses: ['10.231.0.11'] });
  } finally {
    reg.stop();
    store.close();
  }
});
