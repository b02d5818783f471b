import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentEntry, applyEndpointDelta, diffRegistryDelta, forAgents, isEmptyDelta } from './registryDelta.js';
import { buildRegistry, type RegistryEndpoint, type RegistryEntry } from './registry.js';
import type { Node, Service, Task } from './model.js';
import { seededRandom } from './seededRandom.js';

const ep = (taskId: string, hostPort = 0): RegistryEndpoint => ({ taskId, nodeId: 'n1', nodeAddress: '10.0.0.1', slot: 1, ports: hostPort ? [{ target: 80, protocol: 'tcp', hostPort }] : [] });
const entry = (name: string, endpoints: RegistryEndpoint[], vip = '10.233.0.2'): RegistryEntry => ({ name, stack: 's', shortName: name, vip, ports: [], endpoints, aliases: [], networks: [] });

test('a delta holds new and changed services whole, endpoint changes of the others, removed services', () => {
  const first = diffRegistryDelta(new Map(), [entry('s_a', [ep('t1'), ep('t2')]), entry('s_b', [ep('u1')])]);
  assert.deepEqual(first.delta.services.map((e) => e.name), ['s_a', 's_b']);

  const same = diffRegistryDelta(first.state, [entry('s_a', [ep('t1'), ep('t2')]), entry('s_b', [ep('u1')])]);
  assert.equal(isEmptyDelta(same.delta), true);

  const next = diffRegistryDelta(same.state, [entry('s_a', [ep('t2', 32768), ep('t3')]), entry('s_c', [])]);
  assert.deepEqual(next.delta.services.map((e) => e.name), ['s_c']);
  assert.deepEqual(next.delta.endpoints.map((d) => [d.service, d.upserted.map((e) => e.taskId), d.removed]), [['s_a', ['t2', 't3'], ['t1']]]);
  assert.deepEqual(next.delta.removed, ['s_b']);

  const moved = diffRegistryDelta(next.state, [entry('s_a', [ep('t2', 32768), ep('t3')], '10.233.0.9'), entry('s_c', [])]);
  assert.deepEqual(moved.delta.services.map((e) => e.name), ['s_a'], 'a changed VIP sends the service whole');
  assert.deepEqual(moved.delta.endpoints, []);
});

test('a task address that is new or changed upserts that endpoint only', () => {
  const first = diffRegistryDelta(new Map(), [entry('s_a', [ep('t1', 32768), ep('t2', 32769)])]);
  const next = diffRegistryDelta(first.state, [entry('s_a', [{ ...ep('t1', 32768), address: '10.234.0.1' }, ep('t2', 32769)])]);
  assert.deepEqual(next.delta.endpoints.map((d) => [d.service, d.upserted.map((e) => [e.taskId, e.address]), d.removed]), [['s_a', [['t1', '10.234.0.1']], []]]);
  const again = diffRegistryDelta(next.state, [entry('s_a', [{ ...ep('t1', 32768), address: '10.234.0.1' }, ep('t2', 32769)])]);
  assert.equal(isEmptyDelta(again.delta), true);
});

test('applying a delta to the endpoints before gives the endpoints after, sorted by task id', () => {
  const after = applyEndpointDelta([ep('t1'), ep('t2')], [ep('t3'), ep('t0'), ep('t2', 32768)], ['t1']);
  assert.deepEqual(after, [ep('t0'), ep('t2', 32768), ep('t3')]);
});

test('agents get one endpoint per node of a service without ports, every endpoint of one with ports', () => {
  const on = (taskId: string, nodeAddress: string, hostPort = 0): RegistryEndpoint => ({ ...ep(taskId, hostPort), nodeAddress });
  const plain = entry('s_a', [on('t1', '10.0.0.1'), on('t2', '10.0.0.1'), on('t3', '10.0.0.2')]);
  assert.deepEqual(forAgents(plain).endpoints.map((e) => e.taskId), ['t1', 't3']);
  const web = { ...entry('s_w', [on('t1', '10.0.0.1', 32768), on('t2', '10.0.0.1', 32769)]), ports: [{ target: 80, published: 0, protocol: 'tcp' as const, mode: 'ingress' as const }] };
  assert.equal(forAgents(web), web);
});

test('a service without ports keeps the endpoint sent for a node while that task serves', () => {
  const plain = (eps: RegistryEndpoint[]): RegistryEntry => ({ ...entry('s_p', eps), ports: [] });
  const onNode = (id: string): RegistryEndpoint => ({ ...ep(id), nodeId: 'n1', nodeAddress: '10.0.0.1' });
  const first = forAgents(plain([onNode('t5')]));
  assert.deepEqual(first.endpoints.map((e) => e.taskId), ['t5']);
  const sent = new Map([['t5', 'key']]);
  assert.deepEqual(forAgents(plain([onNode('t1'), onNode('t5')]), sent).endpoints.map((e) => e.taskId), ['t5'], 'a lower task id coming up changes nothing');
  assert.deepEqual(forAgents(plain([onNode('t1'), onNode('t3')]), sent).endpoints.map((e) => e.taskId), ['t1'], 'once t5 stops serving, the lowest id');
});


test('agentEntry is what forAgents makes of buildRegistry, with and without ports, with and without what was sent', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rnd = seededRandom(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    // Nodes share addresses at times (several nodes on one host address), some are down or have none.
    const nodes: Node[] = Array.from({ length: 6 }, (_, i) => ({
      id: `n${i}`, name: `n${i}`, role: 'worker', address: pick(['10.0.0.1', '10.0.0.2', '10.0.0.3', '']), hostname: 'h', labels: {}, availability: 'active',
      status: pick(['ready', 'ready', 'ready', 'down'] as const), statusMessage: '', lastHeartbeat: 0, engineVersion: '', nanoCpus: 0, memoryBytes: 0, createdAt: 0,
    }));
    const ports = rnd() < 0.5 ? [] : [{ target: 80, published: 0, protocol: 'tcp' as const, mode: 'ingress' as const }];
    const service: Service = {
      name: 's_a', stack: 's', specVersion: 1, createdAt: 0, updatedAt: 0, vip: '10.233.0.2',
      spec: { name: 'a', image: 'i', env: {}, labels: {}, ports, mode: 'replicated', replicas: 1, restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000 },
    };
    const tasks: Task[] = Array.from({ length: 30 }, (_, i) => ({
      id: `t${String(Math.floor(rnd() * 1000)).padStart(3, '0')}${i}`, stack: 's', service: rnd() < 0.9 ? 's_a' : 's_b', slot: i + 1, nodeId: pick([...nodes.map((n) => n.id), 'gone']),
      desiredState: rnd() < 0.9 ? 'running' : 'shutdown', state: pick(['running', 'running', 'running', 'starting', 'failed'] as const), containerId: 'c', error: '', exitCode: 0,
      health: pick(['', '', 'healthy', 'unhealthy'] as const), specVersion: 1, createdAt: 0, updatedAt: 0,
      ...(ports.length > 0 ? { ports: [{ target: 80, protocol: 'tcp' as const, hostPort: 30000 + i }], ...(rnd() < 0.5 ? { address: `10.234.0.${i + 1}` } : {}) } : {}),
    }));
    const sent = new Map(tasks.filter(() => rnd() < 0.3).map((t) => [t.id, 'key']));
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const [whole] = buildRegistry([service], tasks, nodes);
    assert.ok(whole);
    assert.deepEqual(agentEntry(service, tasks, byId), forAgents(whole), `seed ${seed}, nothing sent`);
    assert.deepEqual(agentEntry(service, tasks, byId, sent), forAgents(whole, sent), `seed ${seed}, some sent`);
  }
});

test('entries known unchanged keep their state and add nothing to the delta', () => {
  const a = entry('s_a', [ep('t1'), ep('t2')]);
  const first = diffRegistryDelta(new Map(), [a, entry('s_b', [ep('u1')])]);
  const next = diffRegistryDelta(first.state, [a, entry('s_b', [ep('u2')])], new Set([a]));
  assert.equal(next.state.get('s_a'), first.state.get('s_a'));
  assert.deepEqual(next.delta.services, []);
  assert.deepEqual(next.delta.endpoints.map((d) => [d.service, d.upserted.map((e) => e.taskId), d.removed]), [['s_b', ['u2'], ['u1']]]);
});
