import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ServiceSpec } from '@cluster/core';
import { makeAssignment } from '../fake-executor.js';
import { containerConfig, primaryNetwork } from './config.js';
import { applyServiceOptions, extraNetworks, stackVolumeNames } from './serviceOptionsConfig.js';

function options(spec: Partial<ServiceSpec>) {
  const a = makeAssignment({ task: { stack: 'shop' }, spec });
  return applyServiceOptions(containerConfig(a, 'node1'), a.spec, []);
}

describe('applyServiceOptions', () => {
  const cases: { what: string; spec: Partial<ServiceSpec>; want: Record<string, unknown> }[] = [
    { what: 'init and privileged', spec: { init: true, privileged: true }, want: { Init: true, Privileged: true } },
    { what: 'capabilities', spec: { capAdd: ['NET_ADMIN'], capDrop: ['ALL'] }, want: { CapAdd: ['NET_ADMIN'], CapDrop: ['ALL'] } },
    { what: 'ulimits', spec: { ulimits: { nofile: { soft: 10, hard: 20 } } }, want: { Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 20 }] } },
    { what: 'sysctls and shm', spec: { sysctls: { 'net.core.somaxconn': '1024' }, shmSizeBytes: 1024 }, want: { Sysctls: { 'net.core.somaxconn': '1024' }, ShmSize: 1024 } },
    { what: 'hosts and dns', spec: { extraHosts: ['a:10.0.0.1'], dns: ['1.1.1.1'] }, want: { ExtraHosts: ['a:10.0.0.1'], Dns: ['1.1.1.1'] } },
    { what: 'limits and reservations', spec: { limits: { nanoCpus: 5e8, memoryBytes: 1 << 20, pids: 50 }, reservations: { nanoCpus: 1, memoryBytes: 1 << 19 } }, want: { NanoCpus: 5e8, Memory: 1 << 20, PidsLimit: 50, MemoryReservation: 1 << 19 } },
    { what: 'a named volume, a read-only bind and a tmpfs', spec: { mounts: [
      { type: 'volume', source: 'shop_data', target: '/data', readOnly: false },
      { type: 'bind', source: '/etc/app', target: '/app', readOnly: true },
      { type: 'tmpfs', source: '', target: '/t', readOnly: false, sizeBytes: 4096 },
      { type: 'bind', source: '/strict', target: '/s', readOnly: false, createHostPath: false },
    ] }, want: {
      Binds: ['/etc/app:/app:ro'],
      Mounts: [
        { Type: 'volume', Source: 'shop_data', Target: '/data', ReadOnly: false },
        { Type: 'tmpfs', Source: '', Target: '/t', ReadOnly: false, TmpfsOptions: { SizeBytes: 4096, Mode: 0o1777 } },
        { Type: 'bind', Source: '/strict', Target: '/s', ReadOnly: false },
      ],
    } },
  ];
  for (const c of cases) {
    test(c.what, () => {
      const host = options(c.spec).HostConfig as Record<string, unknown>;
      const got: Record<string, unknown> = {};
      for (const k of Object.keys(c.want)) got[k] = host[k];
      assert.deepEqual(got, c.want);
    });
  }

  test('a service without options keeps the base options', () => {
    const a = makeAssignment({ task: { stack: 'shop' } });
    assert.deepEqual(applyServiceOptions(containerConfig(a, 'n'), a.spec), containerConfig(a, 'n'));
  });

  test('secrets and configs are bind-mounted read-only from their files', () => {
    const a = makeAssignment({ task: { stack: 'shop' } });
    const mount = { name: 'pw', target: '/run/secrets/pw', dataBase64: 'eA==', mode: 0o400 };
    const o = applyServiceOptions(containerConfig(a, 'n'), a.spec, [{ mount, hostPath: '/var/lib/agent/files/t1/0-pw' }]);
    assert.deepEqual(o.HostConfig?.Mounts, [{ Type: 'bind', Source: '/var/lib/agent/files/t1/0-pw', Target: '/run/secrets/pw', ReadOnly: true }]);
    assert.ok(!JSON.stringify(o).includes('eA=='), 'the content is not in the create options');
  });

  test('expose adds exposed ports', () => {
    assert.deepEqual(options({ expose: ['80/tcp', '53/udp'] }).ExposedPorts, { '80/tcp': {}, '53/udp': {} });
  });

  test('aliases of the default network join the service name; other networks are joined after create', () => {
    const spec: Partial<ServiceSpec> = { name: 'db', networks: [{ name: 'shop_default', aliases: ['database'] }, { name: 'shop_back', aliases: ['store'] }] };
    const o = options(spec);
    assert.deepEqual(o.NetworkingConfig?.EndpointsConfig?.['shop_default']?.Aliases, ['db', 'database']);
    const a = makeAssignment({ task: { stack: 'shop' }, spec });
    assert.deepEqual(extraNetworks(a.spec, 'shop_default'), [{ name: 'shop_back', aliases: ['db', 'store'], external: false }]);
  });

  test('a service that lists networks without default is made on its first one, not on the stack default', () => {
    const spec: Partial<ServiceSpec> = { name: 'db', networks: [{ name: 'shop_back', aliases: ['store'] }, { name: 'shop_data', aliases: [] }] };
    const o = options(spec);
    assert.equal(o.HostConfig?.NetworkMode, 'shop_back');
    assert.deepEqual(Object.keys(o.NetworkingConfig?.EndpointsConfig ?? {}), ['shop_back']);
    assert.deepEqual(o.NetworkingConfig?.EndpointsConfig?.['shop_back']?.Aliases, ['db', 'store']);
    const a = makeAssignment({ task: { stack: 'shop' }, spec });
    assert.equal(primaryNetwork(a), 'shop_back');
    assert.deepEqual(extraNetworks(a.spec, primaryNetwork(a)), [{ name: 'shop_data', aliases: ['db'], external: false }]);
    // Listing default (anywhere in the list) keeps it primary; listing none means default alone.
    assert.equal(primaryNetwork(makeAssignment({ task: { stack: 'shop' }, spec: { networks: [{ name: 'shop_back', aliases: [] }, { name: 'shop_default', aliases: [] }] } })), 'shop_default');
    assert.equal(primaryNetwork(makeAssignment({ task: { stack: 'shop' }, spec: {} })), 'shop_default');
    assert.equal(options({}).HostConfig?.NetworkMode, 'shop_default');
  });

  test('stackVolumeNames lists named volumes of the stack only', () => {
    const a = makeAssignment({ spec: { mounts: [
      { type: 'volume', source: 'shop_data', target: '/d', readOnly: false },
      { type: 'volume', source: '', target: '/anon', readOnly: false },
      { type: 'volume', source: 'ext', target: '/e', readOnly: false, external: true },
    ] } });
    assert.deepEqual(stackVolumeNames(a.spec), ['shop_data']);
  });
});
