import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type { Node } from '@cluster/core';
import type { Node as ApiNode } from '@cluster/api';
import { SqliteStore } from './sqliteStore.js';
import type { Store } from './store.js';
import { findNode, nodeControlHandlers } from './control-nodes.js';

function node(id: string, name: string): Node {
  return {
    id, name, role: 'worker', address: '10.0.0.1', hostname: name, labels: { disk: 'ssd' }, availability: 'active',
    status: 'ready', statusMessage: '', lastHeartbeat: 0, engineVersion: '', nanoCpus: 0, memoryBytes: 0, createdAt: 0,
  };
}

function setup(): { store: Store; kicks: () => number; update: (req: object) => Promise<{ node?: ApiNode; err?: grpc.ServiceError }> } {
  const store = SqliteStore.open(':memory:');
  store.update({ putNodes: [node('aaaa11112222', 'lab1'), node('bbbb11112222', 'lab2')] });
  let kicks = 0;
  const h = nodeControlHandlers({ store, kick: () => { kicks++; } });
  const update = (req: object) => new Promise<{ node?: ApiNode; err?: grpc.ServiceError }>((resolve) => {
    h.UpdateNode!({ request: { availability: '', addLabels: {}, removeLabels: [], ...req } } as never, (err, res) => resolve(err ? { err: err as grpc.ServiceError } : { node: res?.node ?? undefined }));
  });
  return { store, kicks: () => kicks, update };
}

test('UpdateNode drains a node found by name, stores it and kicks the orchestrator', async () => {
  const { store, kicks, update } = setup();
  const r = await update({ node: 'lab2', availability: 'drain' });
  assert.equal(r.node?.availability, 'drain');
  assert.equal(store.node('bbbb11112222')?.availability, 'drain');
  assert.equal(kicks(), 1);
});

test('UpdateNode finds a node by id and adds and removes labels', async () => {
  const { store, update } = setup();
  const r = await update({ node: 'aaaa11112222', addLabels: { zone: 'eu' }, removeLabels: ['disk'] });
  assert.deepEqual(r.node?.labels, { zone: 'eu' });
  assert.deepEqual(store.node('aaaa11112222')?.labels, { zone: 'eu' });
});

test('UpdateNode refuses an unknown node, a bad availability, a bad key and a missing label', async () => {
  const { store, kicks, update } = setup();
  assert.equal((await update({ node: 'lab9' })).err?.code, grpc.status.NOT_FOUND);
  assert.equal((await update({ node: 'lab1', availability: 'sleep' })).err?.code, grpc.status.INVALID_ARGUMENT);
  assert.equal((await update({ node: 'lab1', addLabels: { 'bad key': 'x' } })).err?.code, grpc.status.INVALID_ARGUMENT);
  assert.equal((await update({ node: 'lab1', removeLabels: ['zone'] })).err?.code, grpc.status.NOT_FOUND);
  assert.equal(store.node('aaaa11112222')?.availability, 'active');
  assert.equal(kicks(), 0);
});

test('findNode refuses a name shared by two nodes and asks for an id', () => {
  const store = SqliteStore.open(':memory:');
  store.update({ putNodes: [node('aaaa11112222', 'lab1'), node('cccc11112222', 'lab1')] });
  assert.throws(() => findNode(store, 'lab1'), /ambiguous/);
  assert.equal(findNode(store, 'cccc11112222').id, 'cccc11112222');
});
