/**
 * Message sizes are bounded on purpose, not by gRPC's 4 MB default: a 300 KB
 * config used by 16 replicas (about 6.5 MB of assignments when each task
 * carried its spec) reaches the node and the stack converges, here with the
 * message bound set to 2 MiB (`cluster init --max-message-bytes`): the spec
 * travels once, not once per task.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, TestCluster, containersOf, docker, removeStackContainers } from '../support/cluster.js';

const STACK = 'seclimits-msgsize';
/** BOUND is the gRPC message bound of the manager and the agent in this test: 2 MiB. */
const BOUND = 2 * 1024 * 1024;

describe('a large config used by many replicas', { timeout: 300_000 }, () => {
  let c: TestCluster;
  before(async () => {
    await removeStackContainers(STACK);
    c = await TestCluster.start(['--max-message-bytes', String(BOUND)]);
  });
  after(async () => {
    c?.stop();
    await removeStackContainers(STACK);
  });

  test('the daemons run with the bound given to init', () => {
    for (const pid of [c.managerPid(), c.agentPid()]) {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      assert.equal(argv[argv.indexOf('--max-message-bytes') + 1], String(BOUND), argv.join(' '));
    }
  });

  test('a 300 KB config used by 16 replicas converges under a 2 MiB bound, and every replica has the whole file', async () => {
    const dir = join(c.home, STACK);
    mkdirSync(dir, { recursive: true });
    // Random bytes, base64: 300 KB of text that does not shrink.
    const content = randomBytes(225 * 1024).toString('base64');
    assert.ok(content.length >= 300 * 1024);
    writeFileSync(join(dir, 'big.conf'), content);
    writeFileSync(join(dir, 'stack.yml'), `
services:
  app:
    image: ${IMAGE}
    command: sh -c "trap 'exit 0' TERM; while true; do sleep 1; done"
    stop_grace_period: 1s
    configs: [{source: big, target: /etc/big.conf}]
    deploy: {replicas: 16}
configs:
  big: {file: ./big.conf}
`);
    const r = c.cli(['deploy', 'stack.yml', '--name', STACK, '--timeout', '180s'], { cwd: dir, timeoutMs: 200_000 });
    assert.equal(r.code, 0, `deploy failed: ${r.err}`);
    assert.match(r.out, /converged/);
    const running = (await containersOf(STACK)).filter((x) => x.State === 'running');
    assert.equal(running.length, 16);
    const exec = await docker.getContainer(running[0]!.Id).exec({ Cmd: ['wc', '-c', '/etc/big.conf'], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    const out = await new Promise<string>((resolve) => {
      let text = '';
      stream.on('data', (b: Buffer) => { text += b.toString('latin1'); });
      stream.on('end', () => resolve(text));
    });
    assert.match(out, new RegExp(`\\b${content.length}\\b`));
    const services = c.json<{ name: string; running: number; replicas: number }[]>(['services', STACK]);
    assert.deepEqual(services.map((s) => [s.name, s.running, s.replicas]), [[`${STACK}_app`, 16, 16]]);
  });
});
