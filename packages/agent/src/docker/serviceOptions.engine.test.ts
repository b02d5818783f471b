/**
 * The service options on the real engine: a container made by the adapter
 * really gets its named volume (labelled with the stack, kept across
 * containers), a read-only bind, a tmpfs, a secret file it can read but not
 * write, an extra network with an alias, init, capabilities, ulimits, extra
 * hosts and a memory limit; and the keys that change how it runs (read-only
 * root, terminal, stdin, security options, devices, IPC, shm, sysctls, log
 * driver, MAC address, runtime). Everything made is removed by label in after().
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { LABELS } from '@cluster/core';
import { makeAssignment } from '../fake-executor.js';
import { dockerExecutor, dockerFromHost } from './adapter.js';
import { removeStackVolumes } from './serviceResources.js';
import { execInContainer } from './testing.js';

const IMAGE = 'cluster-test/busybox:latest';
const STACK = `so${randomBytes(3).toString('hex')}`;
const NODE = `node-${STACK}`;
let docker: Dockerode;
let dir: string;

async function logsOf(id: string): Promise<string> {
  const buf = (await docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
  // Strip the 8-byte frame headers of the multiplexed stream.
  const out: string[] = [];
  for (let i = 0; i + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(i + 4);
    out.push(buf.subarray(i + 8, i + 8 + len).toString('utf8'));
    i += 8 + len;
  }
  return out.join('');
}

describe('service options on the engine', { timeout: 90_000 }, () => {
  before(() => {
    docker = dockerFromHost();
    dir = mkdtempSync(join(tmpdir(), 'cluster-files-'));
    writeFileSync(join(dir, 'bound.txt'), 'from the host\n');
  });

  after(async () => {
    const cs = await docker.listContainers({ all: true, filters: { label: [`${LABELS.stack}=${STACK}`] } });
    for (const c of cs) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    const nets = await docker.listNetworks({ filters: { label: [`${LABELS.stack}=${STACK}`] } });
    for (const n of nets) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    await removeStackVolumes(docker, STACK).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a task gets its volumes, binds, tmpfs, secret, networks and host options', { timeout: 60_000 }, async () => {
    const filesDir = join(dir, 'files');
    const executor = dockerExecutor(docker, { nodeId: NODE, filesDir });
    const script = [
      'cat /run/secrets/pw; echo',
      'echo data-$(cat /data/n 2>/dev/null || echo none); echo written > /data/n',
      'cat /bound/bound.txt',
      '(echo x > /bound/new) 2>/dev/null && echo bind-writable || echo bind-readonly',
      '(echo x > /run/secrets/pw) 2>/dev/null && echo secret-writable || echo secret-readonly',
      'grep -q " /scratch tmpfs" /proc/mounts && echo tmpfs-ok',
      'grep -q "10.1.2.3.legacy" /etc/hosts && echo hosts-ok',
      'echo nofile-$(ulimit -n)',
      'echo pid1-$(cat /proc/1/comm)',
    ].join('; ');
    const spec = {
      name: 'web',
      image: IMAGE,
      command: ['sh', '-c', script],
      stopGracePeriodMs: 1000,
      mounts: [
        { type: 'volume' as const, source: `${STACK}_data`, target: '/data', readOnly: false },
        { type: 'bind' as const, source: dir, target: '/bound', readOnly: true },
        { type: 'tmpfs' as const, source: '', target: '/scratch', readOnly: false, sizeBytes: 1 << 20 },
      ],
      secrets: [{ name: 'pw', target: '/run/secrets/pw', dataBase64: Buffer.from('s3cret').toString('base64'), mode: 0o400 }],
      networks: [{ name: `${STACK}_default`, aliases: ['www'] }, { name: `${STACK}_back`, aliases: ['api'] }],
      init: true,
      capAdd: ['NET_ADMIN'],
      ulimits: { nofile: { soft: 512, hard: 1024 } },
      extraHosts: ['legacy:10.1.2.3'],
      limits: { nanoCpus: 500_000_000, memoryBytes: 64 * 1024 * 1024 },
    };
    const run = async (): Promise<{ logs: string; info: Dockerode.ContainerInspectInfo }> => {
      const a = makeAssignment({ task: { stack: STACK, nodeId: NODE, id: `task${randomBytes(4).toString('hex')}` }, spec });
      const id = await executor.create(a, NODE);
      await executor.start(id);
      await docker.getContainer(id).wait();
      return { logs: await logsOf(id), info: await docker.getContainer(id).inspect() };
    };
    const first = await run();
    const lines = first.logs.trim().split('\n');
    assert.deepEqual(lines, ['s3cret', 'data-none', 'from the host', 'bind-readonly', 'secret-readonly', 'tmpfs-ok', 'hosts-ok', 'nofile-512', 'pid1-docker-init']);
    const host = first.info.HostConfig;
    assert.equal(host.Memory, 64 * 1024 * 1024);
    assert.equal(host.NanoCpus, 500_000_000);
    assert.deepEqual(host.CapAdd, ['NET_ADMIN']);
    const nets = first.info.NetworkSettings.Networks;
    assert.ok(nets[`${STACK}_back`], 'joined the extra network');
    assert.ok(nets[`${STACK}_back`]?.Aliases?.includes('api'));
    assert.ok(nets[`${STACK}_default`]?.Aliases?.includes('www'));
    const volume = await docker.getVolume(`${STACK}_data`).inspect();
    assert.equal(volume.Labels?.[LABELS.stack], STACK);
    const [taskDir] = readdirSync(filesDir);
    assert.ok(taskDir);
    const [file] = readdirSync(join(filesDir, taskDir));
    assert.equal(statSync(join(filesDir, taskDir, file ?? '')).mode & 0o777, 0o400);

    // The volume outlives the container: a second task of the stack reads what the first wrote.
    await executor.remove(first.info.Id);
    assert.deepEqual(readdirSync(filesDir), [], 'the task files are removed with the container');
    const second = await run();
    assert.equal(second.logs.split('\n')[1], 'data-written');
    assert.deepEqual(await removeStackVolumes(docker, STACK).then(async (r) => (r.length === 0 ? ['in use'] : r)), ['in use']);
    await executor.remove(second.info.Id);
    assert.deepEqual(await removeStackVolumes(docker, STACK), [`${STACK}_data`]);
  });

  test('the keys that change how a container runs reach the engine', { timeout: 60_000 }, async () => {
    const executor = dockerExecutor(docker, { nodeId: NODE, filesDir: join(dir, 'files-run') });
    const spec = {
      name: 'runkeys',
      image: IMAGE,
      // Checks from inside: the root filesystem is read-only and standard input is a terminal.
      command: ['sh', '-c', 'if touch /probe 2>/dev/null; then exit 3; fi; [ -t 0 ] || exit 4; echo checked > /dev/shm/ok; exec sleep 60'],
      stopGracePeriodMs: 1000,
      networks: [{ name: `${STACK}_default`, aliases: [] }],
      readOnly: true,
      tty: true,
      stdinOpen: true,
      securityOpt: ['no-new-privileges:true'],
      devices: [{ source: '/dev/null', target: '/dev/mynull', permissions: 'rw' }],
      ipc: 'shareable' as const,
      shmSizeBytes: 32 * 1024 * 1024,
      sysctls: { 'net.core.somaxconn': '1024' },
      logging: { driver: 'local', options: { 'max-size': '1m' } },
      macAddress: '02:42:ac:11:00:99',
      runtime: 'runc',
      groupAdd: ['1234'],
      dnsSearch: ['corp.example'],
      dnsOptions: ['ndots:2'],
      domainname: 'corp.example',
      oomScoreAdj: 300,
      cpuShares: 512,
    };
    const a = makeAssignment({ task: { stack: STACK, nodeId: NODE, id: `task${randomBytes(4).toString('hex')}` }, spec });
    const id = await executor.create(a, NODE);
    await executor.start(id);
    const container = docker.getContainer(id);
    let checked = '';
    for (let i = 0; i < 100 && !checked.includes('checked'); i++) {
      const state = (await container.inspect()).State;
      assert.ok(state.Running, `the container exited with ${state.ExitCode} (3: the root filesystem is writable, 4: stdin is no terminal)`);
      checked = (await execInContainer(container, 'cat /dev/shm/ok 2>/dev/null')).out;
      if (!checked.includes('checked')) await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(checked, /checked/);
    assert.equal((await execInContainer(container, 'cat /sys/class/net/eth0/address')).out.trim(), '02:42:ac:11:00:99');
    const info = await container.inspect();
    const host = info.HostConfig as Dockerode.HostConfig & { Runtime?: string };
    assert.equal(host.ReadonlyRootfs, true);
    assert.equal(info.Config.Tty, true);
    assert.equal(info.Config.OpenStdin, true);
    assert.deepEqual(host.SecurityOpt, ['no-new-privileges:true']);
    assert.deepEqual(host.Devices, [{ PathOnHost: '/dev/null', PathInContainer: '/dev/mynull', CgroupPermissions: 'rw' }]);
    assert.equal(host.IpcMode, 'shareable');
    assert.equal(host.ShmSize, 32 * 1024 * 1024);
    assert.deepEqual(host.Sysctls, { 'net.core.somaxconn': '1024' });
    assert.deepEqual(host.LogConfig, { Type: 'local', Config: { 'max-size': '1m' } });
    assert.equal(host.Runtime, 'runc');
    assert.deepEqual(host.GroupAdd, ['1234']);
    assert.match((await execInContainer(container, 'id -G')).out, /\b1234\b/);
    assert.deepEqual(host.DnsSearch, ['corp.example']);
    assert.deepEqual(host.DnsOptions, ['ndots:2']);
    assert.equal(info.Config.Domainname, 'corp.example');
    assert.equal(host.OomScoreAdj, 300);
    assert.equal(host.CpuShares, 512);
    const resolv = (await execInContainer(container, 'cat /etc/resolv.conf')).out;
    assert.match(resolv, /search corp\.example/);
    assert.match(resolv, /options ndots:2/);
    assert.match((await execInContainer(container, 'cat /proc/1/oom_score_adj')).out, /^300/);
    assert.equal(info.NetworkSettings.Networks[`${STACK}_default`]?.MacAddress, '02:42:ac:11:00:99');
    await executor.remove(id);
  });

  test('mount options reach the engine: bind propagation (both forms), volume nocopy and labels, tmpfs mode', { timeout: 60_000 }, async () => {
    const executor = dockerExecutor(docker, { nodeId: NODE, filesDir: join(dir, 'files-mounts') });
    const spec = {
      name: 'mounts',
      image: IMAGE,
      command: ['sh', '-c', 'stat -c %a /t; ls -A /etc | wc -l; exec sleep 60'],
      stopGracePeriodMs: 1000,
      networks: [{ name: `${STACK}_default`, aliases: [] }],
      mounts: [
        { type: 'bind' as const, source: dir, target: '/created', readOnly: true, propagation: 'private' as const },
        { type: 'bind' as const, source: dir, target: '/given', readOnly: false, createHostPath: false, propagation: 'private' as const },
        { type: 'volume' as const, source: '', target: '/etc', readOnly: false, noCopy: true },
        { type: 'volume' as const, source: `${STACK}_labelled`, target: '/l', readOnly: false, labels: { tier: 'db' } },
        { type: 'tmpfs' as const, source: '', target: '/t', readOnly: false, mode: 0o700 },
      ],
    };
    const a = makeAssignment({ task: { stack: STACK, nodeId: NODE, id: `task${randomBytes(4).toString('hex')}` }, spec });
    const id = await executor.create(a, NODE);
    try {
      await executor.start(id);
      const info = await docker.getContainer(id).inspect();
      const mount = (target: string): { Propagation?: string } | undefined => (info.Mounts as { Destination: string; Propagation?: string }[]).find((m) => m.Destination === target);
      assert.equal(mount('/created')?.Propagation, 'private');
      assert.equal(mount('/given')?.Propagation, 'private');
      assert.ok(info.HostConfig.Binds?.includes(`${dir}:/created:ro,private`), JSON.stringify(info.HostConfig.Binds));
      const volume = await docker.getVolume(`${STACK}_labelled`).inspect();
      assert.deepEqual(volume.Labels, { tier: 'db', [LABELS.stack]: STACK }, 'the volume has its labels and the stack\'s');
      let lines: string[] = [];
      for (let i = 0; i < 50 && lines.length < 2; i++) {
        lines = (await logsOf(id)).trim().split('\n').filter((l) => l !== '');
        if (lines.length < 2) await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(lines[0], '700', 'the tmpfs has mode 0700');
      // Without nocopy a new volume at /etc gets the image's files; with it, only what the engine mounts there itself (hosts, resolv.conf, hostname).
      assert.ok(Number(lines[1]) <= 3, `/etc holds ${lines[1]} entries`);
    } finally {
      await executor.remove(id);
    }
  });
});
