import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, TestCluster, alive, containersOf, docker, removeStackContainers, until } from '../support/cluster.js';

// The manager's data dir on a small filesystem of its own (a tmpfs with
// size=), filled up while the cluster runs: writes are refused with a clear
// error, reads and running tasks carry on, and so does the manager once
// space returns. The agent's data dir is on another disk.

const STACK = 'diskfull';
const skip = process.getuid?.() !== 0 ? 'mounting a small filesystem needs root' : false;

interface Svc { name: string; replicas: number; running: number }
interface NodeRow { name: string; status: string }

/** fill writes a file in `dir` with dd until the filesystem is full, and returns its path. */
function fill(dir: string): string {
  const file = join(dir, 'filler');
  spawnSync('dd', ['if=/dev/zero', `of=${file}`, 'bs=64k', 'count=1024'], { encoding: 'utf8', timeout: 30_000 });
  if (statfsSync(dir).bavail !== 0) throw new Error(`${dir} is not full after dd`);
  return file;
}

/** SmallDisk is a cluster whose manager's or agent's data dir is a small filesystem of its own. */
interface SmallDisk {
  c: TestCluster;
  mnt: string;
}

/** startOnSmallDisk starts a one-node cluster with DATA/<part> on a tmpfs of `size`. */
async function startOnSmallDisk(part: 'manager' | 'agent', size: string): Promise<SmallDisk> {
  let mnt = '';
  const c = await TestCluster.start([], (home) => {
    mnt = join(home, 'data', part);
    mkdirSync(mnt, { recursive: true });
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', mnt], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mount: ${r.stderr}`);
  });
  return { c, mnt };
}

/** stopSmallDisk removes the filler, unmounts and stops the cluster (in after: each step whatever came before). */
async function stopSmallDisk(d: SmallDisk | undefined, filler: string, stackName: string): Promise<void> {
  if (filler) rmSync(filler, { force: true });
  if (d?.mnt) spawnSync('umount', ['-l', d.mnt]);
  d?.c.stop();
  await removeStackContainers(stackName);
}

const stack = (replicas: number): string =>
  `services:\n  app:\n    image: ${IMAGE}\n    command: ["sleep", "86400"]\n    stop_grace_period: 1s\n    deploy:\n      replicas: ${replicas}\n`;

describe('the manager on a disk that fills up', { skip, timeout: 300_000 }, () => {
  let disk: SmallDisk | undefined;
  let c: TestCluster;
  let mnt = '';
  let filler = '';
  let file = '';

  before(async () => {
    await removeStackContainers(STACK);
    disk = await startOnSmallDisk('manager', '16m');
    ({ c, mnt } = disk);
    const dir = join(c.home, STACK);
    mkdirSync(dir, { recursive: true });
    file = join(dir, 'compose.yml');
  });
  after(() => stopSmallDisk(disk, filler, STACK));

  test('deploy and scale say the disk is full; reads and the running task carry on; writes work again once space returns', async () => {
    writeFileSync(file, stack(1));
    const d = c.cli(['deploy', file]);
    assert.equal(d.code, 0, d.err);
    const [before] = (await containersOf(STACK)).filter((x) => x.State === 'running');
    assert.ok(before, 'one running container');
    const pid = c.managerPid();

    filler = fill(mnt);
    try {
      const scale = c.cli(['scale', `${STACK}_app=3`]);
      process.stderr.write(`disk full: cluster scale said: ${scale.err}`);
      assert.notEqual(scale.code, 0);
      assert.equal(scale.err.trim().split('\n').length, 1, scale.err);
      assert.match(scale.err, /the manager's disk is full .*; the change was not made/);
      writeFileSync(file, stack(2).replace('86400', '86401'));
      const deploy = c.cli(['deploy', file, '--detach']);
      assert.notEqual(deploy.code, 0);
      assert.match(deploy.err, /the manager's disk is full/);

      // Reads answer, the node stays ready (its heartbeats are not writes), the task runs on.
      await new Promise((r) => setTimeout(r, 4000));
      assert.ok(alive(pid), 'the manager is still running');
      assert.deepEqual(c.json<Svc[]>(['services']).map((s) => [s.name, s.replicas, s.running]), [[`${STACK}_app`, 1, 1]]);
      assert.deepEqual(c.json<NodeRow[]>(['nodes']).map((n) => n.status), ['ready']);
      const now = (await containersOf(STACK)).filter((x) => x.State === 'running').map((x) => x.Id);
      assert.deepEqual(now, [before.Id]);
    } finally {
      rmSync(filler, { force: true });
      filler = '';
    }

    // Space is back: the same command works, with no restart of anything.
    await until('scale to work again', 30_000, () => c.cli(['scale', `${STACK}_app=2`]).code === 0 || undefined);
    await until('2 running', 60_000, () => c.json<Svc[]>(['services'])[0]?.running === 2 || undefined);
    assert.equal(c.managerPid(), pid);
    const log = readFileSync(join(mnt, 'manager.log'), 'utf8');
    assert.match(log, /store: writes work again \(\d+ refused meanwhile; the last: manager: the manager's disk is full/);
  });

  test('a manager started on a still-full disk serves reads, or exits with one clear line', async () => {
    const pid = c.managerPid();
    process.kill(pid, 'SIGKILL');
    await until('the manager to exit', 10_000, () => !alive(pid) || undefined);
    filler = fill(mnt);
    try {
      const r = c.cli(['init', '--listen', `127.0.0.1:${c.port}`, '--name', c.nodeName]);
      process.stderr.write(`disk full: cluster init exited ${r.code}: ${r.err}`);
      if (r.code === 0) {
        assert.deepEqual(c.json<Svc[]>(['services']).map((s) => [s.name, s.replicas]), [[`${STACK}_app`, 2]]);
      } else {
        assert.equal(r.err.trim().split('\n').length, 1, r.err);
        assert.match(r.err, /disk .*is full|no space left/i);
        assert.doesNotMatch(r.err, /^\s*at /m);
      }
    } finally {
      rmSync(filler, { force: true });
      filler = '';
    }
    // With space, it starts and resumes: the stack as it was.
    const again = c.cli(['init', '--listen', `127.0.0.1:${c.port}`, '--name', c.nodeName]);
    assert.equal(again.code, 0, again.err);
    await until('2 running after the restart', 60_000, () => c.json<Svc[]>(['services'])[0]?.running === 2 || undefined);
    assert.equal((await docker.listContainers({ filters: { label: [`cluster.stack=${STACK}`] } })).length, 2);
  });
});

describe('an agent whose data dir fills up', { skip, timeout: 300_000 }, () => {
  const AGENT_STACK = 'agentdiskfull';
  let disk: SmallDisk | undefined;
  let c: TestCluster;
  let mnt = '';
  let filler = '';

  interface NodeJson { status: string; dataDir: string; dataDirError: string }

  before(async () => {
    await removeStackContainers(AGENT_STACK);
    disk = await startOnSmallDisk('agent', '8m');
    ({ c, mnt } = disk);
  });
  after(() => stopSmallDisk(disk, filler, AGENT_STACK));

  test('says so (log, cluster nodes) and keeps its tasks running; says so again when it takes writes', async () => {
    const dir = join(c.home, AGENT_STACK);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compose.yml'), stack(1));
    const d = c.cli(['deploy', join(dir, 'compose.yml')]);
    assert.equal(d.code, 0, d.err);
    const [before] = (await containersOf(AGENT_STACK)).filter((x) => x.State === 'running');
    assert.ok(before, 'one running container');
    const agent = c.agentPid();

    filler = fill(mnt);
    try {
      const node = await until('cluster nodes to show the data dir failing', 30_000, () => {
        const [n] = c.json<NodeJson[]>(['nodes']);
        return n?.dataDir === 'failing' ? n : undefined;
      });
      assert.equal(node.status, 'ready');
      assert.match(node.dataDirError, /disk full \(ENOSPC\)/);
      assert.match(c.cli(['nodes']).out, /ready \(data dir cannot be written: disk full \(ENOSPC\)\)/);
      // Its tasks run on, the agent too.
      await new Promise((r) => setTimeout(r, 3000));
      assert.ok(alive(agent), 'the agent is still running');
      assert.deepEqual((await containersOf(AGENT_STACK)).filter((x) => x.State === 'running').map((x) => x.Id), [before.Id]);
      assert.equal(c.json<NodeJson[]>(['nodes'])[0]?.status, 'ready');
    } finally {
      rmSync(filler, { force: true });
      filler = '';
    }
    await until('cluster nodes to show the data dir ok again', 30_000, () => c.json<NodeJson[]>(['nodes'])[0]?.dataDir === 'ok' || undefined);
    assert.match(readFileSync(join(mnt, 'agent.log'), 'utf8'), /data dir: .* takes writes again/);
  });
});
