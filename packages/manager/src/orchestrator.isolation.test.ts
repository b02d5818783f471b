/**
 * One bad service never stops the orchestration of the others: a service whose
 * pass throws, or whose stored spec is invalid (a store written before the
 * manager checked specs), is left out with its error, and the rest carry on.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterError, type Node, type Service, type Task } from '@cluster/core';
import { SqliteStore } from './sqliteStore.js';
import type { Store } from './store.js';
import { Orchestrator } from './orchestrator.js';

const dir = mkdtempSync(join(tmpdir(), 'orchestrator-isolation-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { info() {}, warn() {}, error() {} } as never;

function node(id: string): Node {
  return {
    id, name: id, role: 'worker', address: '127.0.0.1', hostname: id, labels: {}, availability: 'active', status: 'ready',
    statusMessage: '', lastHeartbeat: 0, engineVersion: '', nanoCpus: 0, memoryBytes: 0, createdAt: 0,
  };
}

function service(stack: string, short: string, replicas: number, specVersion = 1): Service {
  return {
    name: `${stack}_${short}`, stack, specVersion, createdAt: 0, updatedAt: 0,
    spec: {
      name: short, image: 'i', env: {}, labels: {}, ports: [], mode: 'replicated', replicas,
      restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000,
    },
  };
}

const assigned = (store: Store, name: string): Task[] => store.tasksOfService(name).filter((t) => t.state === 'assigned' && t.desiredState === 'running');

test('a service whose pass throws is left out with its error, and the other services and stacks are placed', () => {
  const real = SqliteStore.open(join(dir, 'throws.db'));
  let armed = true;
  // The store as the orchestrator sees it: reading the tasks of one service throws, as a bug on a strange spec would.
  const store = new Proxy(real, {
    get(target, prop) {
      if (prop === 'tasksOfService') {
        return (name: string): Task[] => {
          if (armed && name === 'a_bad') throw new Error('something unexpected in a_bad');
          return target.tasksOfService(name);
        };
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  let seq = 0;
  const orch = new Orchestrator({ store, log: quiet, newId: () => `t${++seq}`, onTasks: () => undefined, fullPassMs: 0 });
  try {
    real.update({ putNodes: [node('n1'), node('n2')], putServices: [service('a', 'bad', 2), service('a', 'web', 3), service('b', 'db', 2)] });
    orch.kick();
    orch.settle();
    assert.equal(assigned(real, 'a_web').length, 3, 'the bad service\'s own stack carries on');
    assert.equal(assigned(real, 'b_db').length, 2, 'other stacks carry on');
    assert.equal(real.tasksOfService('a_bad').length, 0);
    assert.match(orch.serviceError('a_bad') ?? '', /^orchestrator: something unexpected in a_bad/);
    assert.equal(orch.serviceError('a_web'), undefined);

    // Later passes leave it out (they do not throw again) and still work for the others.
    real.update({ putServices: [service('b', 'db', 4)] });
    orch.kickService('b_db');
    orch.kickService('a_bad');
    orch.settle();
    assert.equal(assigned(real, 'b_db').length, 4);

    // A new spec of the service is looked at again.
    armed = false;
    real.update({ putServices: [service('a', 'bad', 2, 2)] });
    orch.kickService('a_bad');
    orch.settle();
    assert.equal(assigned(real, 'a_bad').length, 2);
    assert.equal(orch.serviceError('a_bad'), undefined);
  } finally {
    orch.stop();
    real.close();
  }
});

test('a service with an invalid spec in the store from before is left out across restarts; its tasks stay and the others are placed', () => {
  const path = join(dir, 'invalid.db');
  const first = SqliteStore.open(path);
  const bad = service('old', 'api', 2);
  // As a manager that checked only name, image and replicas could have stored it.
  const broken = { ...bad, spec: { name: 'api', image: 'i', replicas: 2 } } as unknown as Service;
  const running: Task = {
    id: 'old-1', stack: 'old', service: 'old_api', slot: 1, nodeId: 'n1', desiredState: 'running', state: 'running', containerId: 'c1',
    error: '', exitCode: 0, health: '', specVersion: 1, createdAt: 0, updatedAt: 0,
  };
  first.update({ putNodes: [node('n1')], putServices: [broken, service('new', 'web', 2)], putTasks: [running] });
  first.close();

  for (let restart = 1; restart <= 2; restart++) {
    const store = SqliteStore.open(path);
    let seq = 0;
    const orch = new Orchestrator({ store, log: quiet, newId: () => `r${restart}-${++seq}`, onTasks: () => undefined, fullPassMs: 0 });
    try {
      assert.equal(store.service('old_api'), undefined, 'an invalid spec is not handed to readers');
      assert.match(store.invalidService('old_api')?.error ?? '', /invalid spec: spec\.env: missing/);
      orch.kick();
      orch.settle();
      assert.equal(assigned(store, 'new_web').length, 2, `restart ${restart}: the other stack is placed`);
      const kept = store.task('old-1');
      assert.equal(kept?.desiredState, 'running', 'its task is not stopped as if the service were removed');
      assert.match(orch.serviceError('old_api') ?? '', /spec\.restart: missing/);
    } finally {
      orch.stop();
      store.close();
    }
  }

  // A new deploy of the service replaces the invalid spec.
  const store = SqliteStore.open(path);
  try {
    store.update({ putServices: [service('old', 'api', 1, 2)] });
    assert.equal(store.invalidService('old_api'), undefined);
    assert.equal(store.service('old_api')?.specVersion, 2);
  } finally {
    store.close();
  }
});

test('a store that refuses writes fails the pass as a whole: no service is blamed, and passes carry on once it writes again', () => {
  const real = SqliteStore.open(join(dir, 'refuses.db'));
  let refuse = true;
  const store = new Proxy(real, {
    get(target, prop) {
      if (prop === 'update') {
        return (batch: Parameters<Store['update']>[0]): void => {
          if (refuse && (batch.putTasks?.length ?? 0) > 0) throw new ClusterError('resource_exhausted', 'manager: the manager\'s disk is full', { retryable: true });
          target.update(batch);
        };
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  let seq = 0;
  const orch = new Orchestrator({ store, log: quiet, newId: () => `d${++seq}`, onTasks: () => undefined, fullPassMs: 0 });
  try {
    real.update({ putNodes: [node('n1')], putServices: [service('a', 'web', 2), service('b', 'db', 1)] });
    assert.throws(() => orch.pass(), /disk is full/);
    assert.equal(orch.serviceError('a_web'), undefined, 'no service is left out for a disk that refuses');
    assert.equal(orch.serviceError('b_db'), undefined);
    refuse = false;
    orch.pass();
    assert.equal(assigned(real, 'a_web').length, 2);
    assert.equal(assigned(real, 'b_db').length, 1);
  } finally {
    orch.stop();
    real.close();
  }
});
