import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTerminal, seededRandom, type DependencyCondition, type Node, type Service, type Task } from '@cluster/core';
import { SqliteStore } from './sqliteStore.js';
import type { Store } from './store.js';
import { Orchestrator } from './orchestrator.js';

const dir = mkdtempSync(join(tmpdir(), 'orchestrator-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { info() {}, warn() {}, error() {} } as never;

function node(id: string, now: number): Node {
  return {
    id, name: id, role: 'worker', address: '127.0.0.1', hostname: id, labels: { zone: id < 'n3' ? 'a' : 'b' }, availability: 'active', status: 'ready',
    statusMessage: '', lastHeartbeat: now, engineVersion: '', nanoCpus: 0, memoryBytes: 0, createdAt: now,
  };
}

function service(short: string, o: { replicas: number; global?: boolean; version?: number; constraint?: string; dependsOn?: { service: string; condition: DependencyCondition }[]; condition?: 'any' | 'on-failure' | 'none' }): Service {
  return {
    name: `s_${short}`, stack: 's', specVersion: o.version ?? 1, createdAt: 0, updatedAt: 0,
    spec: {
      name: short, image: 'i', env: {}, labels: {}, ports: [], mode: o.global ? 'global' : 'replicated', replicas: o.replicas,
      restart: { condition: o.condition ?? 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: o.constraint ? [o.constraint] : [], stopGracePeriodMs: 1000,
      ...(o.dependsOn ? { dependsOn: o.dependsOn.map((d) => ({ ...d, required: true, restart: false })) } : {}),
    },
  };
}

/** Cluster is a store with an orchestrator and a clock, driven as the dispatcher and the control API drive them. */
interface Cluster {
  store: Store;
  orch: Orchestrator;
  /** incremental: say what changed (kickService, kickNode); otherwise ask for a pass over everything. */
  incremental: boolean;
}

function cluster(name: string, incremental: boolean, clock: { now: number }, chunkTasks: number): Cluster {
  const store = SqliteStore.open(join(dir, `${name}.db`));
  let seq = 0;
  const orch = new Orchestrator({ store, log: quiet, now: () => clock.now, newId: () => `${name}-${++seq}`, onTasks: () => undefined, chunkTasks, fullPassMs: 0 });
  return { store, orch, incremental };
}

/** settle runs what the cluster's orchestrator would run, also what its timers (unplaced retries) would start. */
function settle(c: Cluster): void {
  if (c.incremental) {
    c.orch.settle();
    c.orch.retryWaiting();
    c.orch.settle();
  } else {
    for (let i = 0; i < 5; i++) c.orch.pass();
  }
}

function serviceChanged(c: Cluster, name: string): void {
  if (c.incremental) c.orch.kickService(name);
  else c.orch.kick();
}
function nodeChanged(c: Cluster, id: string): void {
  if (c.incremental) c.orch.kickNode(id);
  else c.orch.kick();
}

/** live returns the task of a service's slot that holds a place on a node, if any (the newest). */
function liveIn(store: Store, svc: string, slot: number, nodeId?: string): Task | undefined {
  return store.tasksOfService(svc)
    .filter((t) => t.slot === slot && t.desiredState === 'running' && !isTerminal(t.state) && t.nodeId !== '' && (nodeId === undefined || t.nodeId === nodeId))
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))[0];
}

/**
 * observe sets what an agent reports for a task, as the dispatcher stores
 * it; a task that finished while wanted, or whose service is gone, asks for
 * a pass over its service.
 */
function observe(c: Cluster, t: Task, state: Task['state'], exitCode = 0, health: Task['health'] = ''): void {
  c.store.update({ putTasks: [{ ...t, state, exitCode, health }] });
  if (isTerminal(state) && (t.desiredState === 'running' || !c.store.service(t.service))) serviceChanged(c, t.service);
}

/** shape is the desired state without the choices a pass may make differently: per service, its slots with a live task and its waiting tasks. */
function shape(store: Store): string {
  const out: string[] = [];
  for (const name of [...new Set(store.serviceNamesOfTasks())].sort()) {
    const tasks = store.tasksOfService(name);
    const live = tasks.filter((t) => t.desiredState === 'running' && !isTerminal(t.state) && t.nodeId !== '' && t.state !== 'pending' && t.state !== 'new');
    const keys = live.map((t) => (t.slot === 0 ? `@${t.nodeId}` : String(t.slot))).sort();
    const waiting = tasks.filter((t) => t.desiredState === 'running' && (t.state === 'pending' || t.state === 'new')).map((t) => `${t.slot === 0 ? t.nodeId : t.slot}:${t.error}`).sort();
    out.push(`${name} live=[${keys.join(',')}] waiting=[${waiting.join(';')}]`);
  }
  return out.join('\n');
}

/** fullPassChanges runs a pass over everything and returns how many tasks it wrote or deleted. */
function fullPassChanges(c: Cluster, clock: { now: number }): number {
  let changes = 0;
  const probe = new Orchestrator({ store: c.store, log: quiet, now: () => clock.now, newId: () => 'probe', onTasks: (put, del) => { changes += put.length + del.length; }, fullPassMs: 0 });
  probe.pass();
  probe.stop();
  return changes;
}

const NODES = ['n1', 'n2', 'n3', 'n4'];
const SHORT = ['db', 'web', 'api', 'agent', 'job'];

/**
 * Event is one random change, applied the same way to both clusters: in
 * terms of slots and node ids, not task ids (the clusters make their own).
 */
type Event = (c: Cluster) => void;

function randomEvent(rnd: () => number, clock: { now: number }): { what: string; apply: Event } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const n = pick(NODES);
  const short = pick(SHORT);
  const name = `s_${short}`;
  const slot = 1 + Math.floor(rnd() * 4);
  const r = rnd();
  if (r < 0.2) {
    const replicas = Math.floor(rnd() * 5);
    const global = short === 'agent';
    const deps = short === 'web' ? [{ service: 'db', condition: pick<DependencyCondition>(['service_started', 'service_healthy']) }] : short === 'api' && rnd() < 0.5 ? [{ service: 'job', condition: 'service_completed_successfully' as const }] : undefined;
    const constraint = rnd() < 0.2 ? 'node.labels.zone==a' : undefined;
    const condition = short === 'job' ? 'on-failure' as const : pick(['any', 'on-failure', 'none'] as const);
    const bump = rnd() < 0.3;
    return {
      what: `deploy ${short} replicas=${replicas}${constraint ? ' ' + constraint : ''}${bump ? ' new spec' : ''}`,
      apply: (c) => {
        const old = c.store.service(name);
        const version = (old?.specVersion ?? 0) + (bump || !old ? 1 : 0);
        c.store.update({ putServices: [service(short, { replicas, global, version, ...(constraint ? { constraint } : {}), ...(deps ? { dependsOn: deps } : {}), condition })] });
        serviceChanged(c, name);
      },
    };
  }
  if (r < 0.27) return { what: `rm ${short}`, apply: (c) => { if (c.store.service(name)) { c.store.update({ deleteServices: [name] }); serviceChanged(c, name); } } };
  if (r < 0.5) {
    const state = pick(['running', 'running', 'complete', 'failed'] as const);
    const health = pick(['', 'healthy'] as const);
    const exit = state === 'failed' ? 1 : 0;
    return {
      what: `${short}.${slot} ${state}${health ? ' ' + health : ''}`,
      apply: (c) => {
        const t = short === 'agent' ? liveIn(c.store, name, 0, n) : liveIn(c.store, name, slot);
        if (t) observe(c, t, state, exit, health);
      },
    };
  }
  if (r < 0.55) {
    return {
      what: `${short} stopped tasks report shutdown`,
      apply: (c) => {
        for (const t of c.store.tasksOfService(name)) if (t.desiredState === 'shutdown' && !isTerminal(t.state) && t.nodeId !== '') observe(c, t, 'shutdown');
      },
    };
  }
  if (r < 0.62) return { what: `${n} down`, apply: (c) => { const x = c.store.node(n); if (x) { c.store.update({ putNodes: [{ ...x, status: 'down' }] }); nodeChanged(c, n); } } };
  if (r < 0.76) return { what: `${n} up`, apply: (c) => { c.store.update({ putNodes: [{ ...(c.store.node(n) ?? node(n, clock.now)), status: 'ready' }] }); nodeChanged(c, n); } };
  if (r < 0.84) return { what: `${n} drain`, apply: (c) => { const x = c.store.node(n); if (x) { c.store.update({ putNodes: [{ ...x, availability: 'drain' }] }); nodeChanged(c, n); } } };
  if (r < 0.92) return { what: `${n} active`, apply: (c) => { const x = c.store.node(n); if (x) { c.store.update({ putNodes: [{ ...x, availability: 'active' }] }); nodeChanged(c, n); } } };
  return { what: `${n} removed`, apply: (c) => { if (c.store.node(n)) { c.store.update({ deleteNodes: [n] }); nodeChanged(c, n); } } };
}

test('passes over what changed reach the desired state of passes over everything', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const rnd = seededRandom(seed);
    const clock = { now: 1_000_000 };
    const inc = cluster(`inc${seed}`, true, clock, 3);
    const full = cluster(`full${seed}`, false, clock, 3);
    const history: string[] = [];
    try {
      for (const c of [inc, full]) c.store.update({ putNodes: NODES.slice(0, 3).map((id) => node(id, clock.now)) });
      for (let step = 0; step < 60; step++) {
        const e = randomEvent(rnd, clock);
        history.push(e.what);
        clock.now += 1000;
        for (const c of [inc, full]) {
          e.apply(c);
          settle(c);
        }
        const why = `seed ${seed} after: ${history.join(' | ')}`;
        assert.equal(fullPassChanges(inc, clock), 0, `a pass over everything still had work (${why})`);
        assert.equal(shape(inc.store), shape(full.store), why);
      }
    } finally {
      for (const c of [inc, full]) {
        c.orch.stop();
        c.store.close();
      }
    }
  }
});

test('a deploy larger than a chunk is written over several turns, in service order', async () => {
  const store = SqliteStore.open(join(dir, 'chunks.db'));
  const writes: string[][] = [];
  let seq = 0;
  const orch = new Orchestrator({ store, log: quiet, newId: () => `t${++seq}`, onTasks: (put) => writes.push([...new Set(put.map((t) => t.service))]), chunkTasks: 10, fullPassMs: 0 });
  try {
    store.update({ putNodes: [node('n1', 0), node('n2', 0)], putServices: ['a', 'b', 'c'].map((s) => service(s, { replicas: 10 })) });
    orch.kick();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(writes, [['s_a']], 'one service per turn');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(writes, [['s_a'], ['s_b'], ['s_c']]);
    assert.equal(store.allTasks().filter((t) => t.state === 'assigned').length, 30);
    assert.deepEqual([...store.liveTasksByNode()].sort(), [['n1', 15], ['n2', 15]]);
  } finally {
    orch.stop();
    store.close();
  }
});

test('a restart delay is timed on the monotonic clock: a wall clock set back by 10 minutes does not hold the replacement back', () => {
  const store = SqliteStore.open(join(dir, 'clock-step.db'));
  const wall = { now: 10_000_000 };
  const mono = { now: 500 };
  let seq = 0;
  const orch = new Orchestrator({ store, log: quiet, now: () => wall.now, monotonic: () => mono.now, newId: () => `t${++seq}`, onTasks: () => undefined, fullPassMs: 0 });
  try {
    const svc = service('web', { replicas: 1 });
    svc.spec.restart.delayMs = 5000;
    store.update({ putNodes: [node('n1', wall.now)], putServices: [svc] });
    orch.kick();
    orch.settle();
    const [first] = store.allTasks();
    assert.ok(first);
    // The task fails; its replacement waits for the 5 s restart delay.
    store.update({ putTasks: [{ ...first, state: 'failed', exitCode: 1, updatedAt: wall.now }] });
    orch.kickService(svc.name);
    orch.settle();
    assert.equal(store.allTasks().filter((t) => t.desiredState === 'running' && !isTerminal(t.state)).length, 0, 'not replaced before the delay');
    // 5 s pass; the wall clock was set back by 10 minutes meanwhile.
    mono.now += 5000;
    wall.now += 5000 - 10 * 60_000;
    orch.retryWaiting();
    orch.settle();
    const live = store.allTasks().filter((t) => t.desiredState === 'running' && !isTerminal(t.state));
    assert.equal(live.length, 1, 'replaced once the delay passed on the monotonic clock');
    assert.notEqual(live[0]!.id, first.id);
  } finally {
    orch.stop();
    store.close();
  }
});
