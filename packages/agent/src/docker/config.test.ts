import { test } from 'node:test';
import assert from 'node:assert/strict';
import type Dockerode from 'dockerode';
import { makeAssignment, type AssignmentParts } from '../fake-executor.js';
import { containerConfig } from './config.js';

interface Case {
  name: string;
  parts: AssignmentParts;
  nodeId?: string;
  /** expect is a subset of the create options that must match exactly. */
  expect: Partial<Dockerode.ContainerCreateOptions>;
  /** absent are keys that must not be set. */
  absent?: (keyof Dockerode.ContainerCreateOptions)[];
}

const cases: Case[] = [
  {
    name: 'a replicated task is named service.slot.task',
    parts: { task: { id: 'abc', slot: 3 } },
    expect: { name: 's_web.3.abc', Image: 'cluster-test/busybox:latest' },
    absent: ['Cmd', 'Entrypoint', 'Healthcheck', 'ExposedPorts', 'WorkingDir', 'User', 'Hostname', 'StopSignal'],
  },
  {
    name: 'a global task is named with the node id prefix',
    parts: { task: { id: 'abc', slot: 0 }, spec: { mode: 'global' } },
    nodeId: 'n0123456789abcdefghij',
    expect: { name: 's_web.n0123456789a.abc' },
  },
  {
    name: 'command and entrypoint are set only when given',
    parts: { spec: { command: ['sh', '-c', 'sleep 1'], entrypoint: ['/bin/env'] } },
    expect: { Cmd: ['sh', '-c', 'sleep 1'], Entrypoint: ['/bin/env'] },
  },
  {
    name: 'env is K=V sorted by key',
    parts: { spec: { env: { ZED: '1', ALPHA: 'a=b', MID: '' } } },
    expect: { Env: ['ALPHA=a=b', 'MID=', 'ZED=1'] },
  },
  {
    name: 'cluster labels are added and win over user labels',
    parts: { task: { id: 't9', slot: 2, specVersion: 7 }, spec: { labels: { team: 'x', 'cluster.task': 'forged' } } },
    nodeId: 'nodeA',
    expect: {
      Labels: {
        team: 'x',
        'cluster.stack': 's',
        'cluster.service': 's_web',
        'cluster.task': 't9',
        'cluster.slot': '2',
        'cluster.spec': '7',
        'cluster.node': 'nodeA',
      },
    },
  },
  {
    name: 'every target port is exposed',
    parts: {
      spec: {
        ports: [
          { target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' },
          { target: 53, published: 5353, protocol: 'udp', mode: 'host' },
          { target: 9000, published: 0, protocol: 'tcp', mode: 'ingress' },
        ],
      },
    },
    expect: {
      ExposedPorts: { '80/tcp': {}, '53/udp': {}, '9000/tcp': {} },
    },
  },
  {
    name: 'a healthcheck is converted to nanoseconds',
    parts: {
      spec: {
        healthcheck: { test: ['CMD-SHELL', 'true'], intervalMs: 1000, timeoutMs: 500, retries: 3, startPeriodMs: 2000 },
      },
    },
    expect: {
      Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 1e9, Timeout: 5e8, StartPeriod: 2e9, Retries: 3 },
    },
  },
  {
    name: 'a NONE healthcheck disables the image healthcheck',
    parts: { spec: { healthcheck: { test: ['NONE'], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 } } },
    expect: { Healthcheck: { Test: ['NONE'] } },
  },
  {
    name: 'working dir, user, hostname, stop signal and stop timeout are passed',
    parts: { spec: { workingDir: '/srv', user: '1000:1000', hostname: 'h1', stopSignal: 'SIGINT', stopGracePeriodMs: 2500 } },
    expect: { WorkingDir: '/srv', User: '1000:1000', Hostname: 'h1', StopSignal: 'SIGINT', StopTimeout: 3 },
  },
  {
    name: 'the container joins the stack network under the short service name',
    parts: { task: { stack: 'shop' }, spec: { name: 'db' } },
    expect: { NetworkingConfig: { EndpointsConfig: { shop_default: { Aliases: ['db'] } } } },
  },
];

for (const c of cases) {
  test(`containerConfig: ${c.name}`, () => {
    const got = containerConfig(makeAssignment(c.parts), c.nodeId ?? 'node1');
    for (const [key, value] of Object.entries(c.expect)) {
      assert.deepEqual(got[key as keyof typeof got], value, key);
    }
    for (const key of c.absent ?? []) assert.equal(got[key], undefined, `${key} must be absent`);
  });
}

test('containerConfig: the engine never restarts a task; ingress ports bind ephemeral host ports, host-mode ports their own', () => {
  const got = containerConfig(
    makeAssignment({
      spec: {
        ports: [
          { target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' },
          { target: 90, published: 9090, protocol: 'tcp', mode: 'host' },
          { target: 100, published: 0, protocol: 'udp', mode: 'ingress' },
        ],
      },
    }),
    'node1',
  );
  assert.deepEqual(got.HostConfig?.RestartPolicy, { Name: 'no' });
  assert.equal(got.HostConfig?.NetworkMode, 's_default');
  assert.deepEqual(got.HostConfig?.PortBindings, {
    '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '' }],
    '90/tcp': [{ HostIp: '0.0.0.0', HostPort: '9090' }],
    '100/udp': [{ HostIp: '0.0.0.0', HostPort: '' }],
  });
});

test('containerConfig: without the routing mesh a published port binds its own number', () => {
  const got = containerConfig(makeAssignment({ spec: { ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }] } }), 'node1', { routingMesh: false });
  assert.deepEqual(got.HostConfig?.PortBindings, { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] });
});

test('containerConfig: the node DNS address becomes the resolver of the container', () => {
  assert.deepEqual(containerConfig(makeAssignment(), 'node1', { dns: ['10.233.0.1'] }).HostConfig?.Dns, ['10.233.0.1']);
  assert.equal(containerConfig(makeAssignment(), 'node1').HostConfig?.Dns, undefined);
});

test('containerConfig: without published ports there are no bindings', () => {
  const got = containerConfig(makeAssignment(), 'node1');
  assert.equal(got.HostConfig?.PortBindings, undefined);
  assert.equal(got.ExposedPorts, undefined);
});

test('containerConfig: is pure (same input, same output; input untouched)', () => {
  const a = makeAssignment({ spec: { command: ['a'], env: { B: '1', A: '2' } } });
  const before = JSON.stringify(a);
  assert.deepEqual(containerConfig(a, 'n'), containerConfig(a, 'n'));
  assert.equal(JSON.stringify(a), before);
});
