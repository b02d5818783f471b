import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node, Service, Task } from '@cluster/core';
import { SqliteStore } from './sqliteStore.js';
import type { StoreChanges } from './store.js';

const dir = mkdtempSync(join(tmpdir(), 'store-watch-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const open = (): SqliteStore => SqliteStore.open(join(dir, `${++n}.db`));

const task = (id: string): Task => ({
  id, stack: 's', service: 's_web', slot: 1, nodeId: 'n1', desiredState: 'running', state: 'assigned', containerId: '', error: '', exitCode: 0,
  health: '', specVersion: 1, createdAt: 0, updatedAt: 0,
});
const node: Node = { id: 'n1', name: 'one', hostname: 'one', role: 'worker', status: 'ready', statusMessage: '', availability: 'active', labels: {}, address: '10.0.0.1', lastHeartbeat: 0, createdAt: 0, engineVersion: '', nanoCpus: 0, memoryBytes: 0 } as Node;
const service = { name: 's_web', stack: 's', spec: {}, specVersion: 1, createdAt: 0, updatedAt: 0 } as unknown as Service;

/** turn lets the watchers be told (they are, after the writer's synchronous code). */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** plain turns changes into sorted arrays, for deepEqual. */
function plain(c: StoreChanges): { nodes: string[]; services: string[]; tasks: string[] } {
  return { nodes: [...c.nodes].sort(), services: [...c.services].sort(), tasks: [...c.tasks].sort() };
}

test('a watcher is told what was written, by kind and id, puts and deletes alike', async () => {
  const store = open();
  try {
    const told: StoreChanges[] = [];
    store.watch((c) => told.push(c));
    store.update({ putNodes: [node], putServices: [service], putTasks: [task('t1'), task('t2')] });
    store.update({ deleteTasks: ['t2'] });
    store.putTasksSoon([{ ...task('t1'), state: 'running' }]);
    store.putNodesSoon([{ ...node, status: 'down' }]);
    assert.equal(told.length, 0, 'told after the writer\'s turn, not inside its write');
    await turn();
    assert.equal(told.length, 1, 'the writes of one turn are one call');
    assert.deepEqual(plain(told[0]!), { nodes: ['n1'], services: ['s_web'], tasks: ['t1', 't2'] });
    store.update({ deleteServices: ['s_web'], deleteNodes: ['n1'] });
    await turn();
    assert.deepEqual(plain(told[1]!), { nodes: ['n1'], services: ['s_web'], tasks: [] });
  } finally {
    store.close();
  }
});

test('a burst of 10,000 task writes is told in one call, each task once', async () => {
  const store = open();
  try {
    const calls: number[] = [];
    store.watch((c) => calls.push(c.tasks.size), ['task']);
    for (let i = 0; i < 10000; i++) store.putTasksSoon([{ ...task(`t${i % 5000}`), updatedAt: i }]);
    await turn();
    assert.deepEqual(calls, [5000]);
  } finally {
    store.close();
  }
});

test('a watch of some kinds is told of those kinds only, and not at all when none of them changed', async () => {
  const store = open();
  try {
    const told: StoreChanges[] = [];
    store.watch((c) => told.push(c), ['service', 'node']);
    store.update({ putTasks: [task('t1')] });
    await turn();
    assert.equal(told.length, 0);
    store.update({ putTasks: [task('t2')], putServices: [service] });
    await turn();
    assert.deepEqual(told.map(plain), [{ nodes: [], services: ['s_web'], tasks: [] }]);
  } finally {
    store.close();
  }
});

test('a transaction that does not commit tells nothing; one that does tells once it is in memory', async () => {
  const store = open();
  try {
    const told: StoreChanges[] = [];
    store.watch((c) => told.push(c));
    assert.throws(() => store.transaction(() => {
      store.update({ putTasks: [task('t1')] });
      throw new Error('no');
    }), /no/);
    await turn();
    assert.equal(store.task('t1'), undefined);
    assert.equal(told.length, 0);
    store.transaction(() => store.update({ putTasks: [task('t2')] }));
    await turn();
    assert.deepEqual(told.map(plain), [{ nodes: [], services: [], tasks: ['t2'] }]);
  } finally {
    store.close();
  }
});

test('viewAndWatch: the view holds every write before it, the watcher every write after it', async () => {
  const store = open();
  try {
    store.update({ putTasks: [task('before')] });
    const told: StoreChanges[] = [];
    const { view, unwatch } = store.viewAndWatch((s) => s.allTasks().map((t) => t.id), (c) => told.push(c));
    store.update({ putTasks: [task('after')] });
    await turn();
    assert.deepEqual(view, ['before']);
    assert.deepEqual(told.map(plain), [{ nodes: [], services: [], tasks: ['after'] }]);
    unwatch();
    store.update({ putTasks: [task('unwatched')] });
    await turn();
    assert.equal(told.length, 1, 'nothing after unwatch');
  } finally {
    store.close();
  }
});

test('a watcher that throws is logged and stops no other watcher', async () => {
  const errors: unknown[] = [];
  const store = SqliteStore.open(join(dir, 'throws.db'), { log: { info() {}, warn() {}, error: (_m: string, e: unknown) => errors.push(e) } });
  try {
    let told = 0;
    store.watch(() => { throw new Error('watcher broke'); });
    store.watch(() => { told++; });
    store.update({ putTasks: [task('t1')] });
    await turn();
    assert.equal(told, 1);
    assert.equal((errors[0] as Error).message, 'watcher broke');
  } finally {
    store.close();
  }
});
