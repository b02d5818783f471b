/**
 * build without a registry: `cluster deploy` builds a `build:` service with
 * the local engine (dockerfile, args, target), sends the image to the
 * manager, and a node that lacks the image gets it from the manager over its
 * authenticated session instead of pulling it. The context honours
 * .dockerignore.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, TestCluster, containersOf, docker, removeStackContainers, until } from '../support/cluster.js';

const STACK = 'builde2e';
const BUILT = `${STACK}-app:latest`;

async function removeImage(): Promise<void> {
  await docker.getImage(BUILT).remove({ force: true }).catch(() => undefined);
}

async function logsOf(id: string): Promise<string> {
  const buf = (await docker.getContainer(id).logs({ stdout: true, stderr: true })) as unknown as Buffer;
  // The multiplexed stream's frame headers do not matter for a substring check.
  return buf.toString('utf8');
}

describe('build without a registry', { timeout: 300_000 }, () => {
  let c: TestCluster;
  let dir: string;

  before(async () => {
    await removeStackContainers(STACK);
    await removeImage();
    c = await TestCluster.start();
    dir = join(c.home, STACK);
    mkdirSync(join(dir, 'app'), { recursive: true });
    writeFileSync(join(dir, 'app', 'Dockerfile.cluster'), [
      `FROM ${IMAGE} AS base`,
      'ARG GREETING=unset',
      'RUN echo "$GREETING from the build" > /greeting',
      'COPY . /ctx/',
      'RUN ls -A /ctx /ctx/notes > /listing',
      'FROM base AS final',
      'RUN echo final > /stage',
      'FROM base AS other',
      'RUN echo other > /stage',
      '',
    ].join('\n'));
    // .dockerignore leaves files out of the context, even the Dockerfile's own name, which is sent all the same.
    writeFileSync(join(dir, 'app', '.dockerignore'), ['secret.txt', 'notes', '!notes/kept.txt', 'Dockerfile.cluster', ''].join('\n'));
    mkdirSync(join(dir, 'app', 'notes'));
    for (const f of ['secret.txt', 'kept-root.txt', 'notes/kept.txt', 'notes/dropped.txt']) writeFileSync(join(dir, 'app', f), f);
  });
  after(async () => {
    c?.stop();
    await removeStackContainers(STACK);
    await removeImage();
  });

  test('deploy builds with dockerfile, args and target, and the manager stores the image', { timeout: 150_000 }, async () => {
    writeFileSync(join(dir, 'compose.yml'), [
      'services:',
      '  app:',
      `    image: ${BUILT}`,
      '    build: {context: ./app, dockerfile: Dockerfile.cluster, args: {GREETING: hello}, target: final}',
      '    command: ["sh", "-c", "cat /greeting /listing /stage; sleep 3600"]',
      '    stop_grace_period: 1s',
      '',
    ].join('\n'));
    const r = c.cli(['deploy', join(dir, 'compose.yml'), '--name', STACK, '--timeout', '60s'], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /build: app: /);
    assert.match(r.err, /push: app: .* stored as sha256:/);
    const stored = readdirSync(join(c.home, 'data', 'manager', 'images')).filter((f) => f.endsWith('.tar'));
    assert.equal(stored.length, 1);
    const [running] = (await containersOf(STACK)).filter((x) => x.State === 'running');
    assert.ok(running);
    const logs = await until('the app prints', 15_000, async () => {
      const text = await logsOf(running.Id);
      return text.includes('final') ? text : undefined;
    });
    assert.match(logs, /hello from the build/);
    assert.match(logs, /kept-root\.txt/);
    assert.match(logs, /kept\.txt/);
    assert.doesNotMatch(logs, /secret\.txt|dropped\.txt|Dockerfile\.cluster/, 'files matched by .dockerignore are not in the image');
    // An unchanged build is not sent again.
    const again = c.cli(['deploy', join(dir, 'compose.yml'), '--name', STACK, '--timeout', '60s'], { timeoutMs: 120_000 });
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, /push: app: the manager has .* already/);
  });

  test('a node that lacks the image loads it from the manager', { timeout: 150_000 }, async () => {
    const rm = c.cli(['rm', STACK]);
    assert.equal(rm.code, 0, rm.err);
    await until('the containers are gone', 30_000, async () => ((await containersOf(STACK)).length === 0 ? true : undefined));
    await removeImage();
    writeFileSync(join(dir, 'uses.yml'), ['services:', '  app:', `    image: ${BUILT}`, '    command: ["sh", "-c", "cat /greeting; sleep 3600"]', '    stop_grace_period: 1s', ''].join('\n'));
    const r = c.cli(['deploy', join(dir, 'uses.yml'), '--name', STACK, '--timeout', '60s'], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.err);
    assert.ok(await docker.getImage(BUILT).inspect(), 'the image is on the node again');
  });

  test('a Dockerfile with RUN --mount is built with BuildKit (cache and bind mounts), with its steps shown', { timeout: 150_000 }, async () => {
    const stack = 'buildkite2e';
    const image = `${stack}-app:latest`;
    await removeStackContainers(stack);
    const ctx = join(dir, 'bk');
    mkdirSync(ctx, { recursive: true });
    writeFileSync(join(ctx, 'Dockerfile'), [
      `FROM ${IMAGE}`,
      'RUN --mount=type=cache,target=/cache echo cached-step > /cache/x && cp /cache/x /from-cache',
      'RUN --mount=type=bind,source=hello.txt,target=/mnt/hello.txt cp /mnt/hello.txt /from-bind',
      '',
    ].join('\n'));
    writeFileSync(join(ctx, 'hello.txt'), 'bound-file\n');
    writeFileSync(join(dir, 'bk.yml'), ['services:', '  app:', `    image: ${image}`, '    build: ./bk', '    command: ["sh", "-c", "cat /from-cache /from-bind; sleep 3600"]', '    stop_grace_period: 1s', ''].join('\n'));
    try {
      const r = c.cli(['deploy', join(dir, 'bk.yml'), '--name', stack, '--timeout', '60s'], { timeoutMs: 120_000 });
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /build: app: .* files, BuildKit\)/);
      assert.match(r.err, /build: app: \[(stage-0 )?3\/3\] RUN --mount=type=bind/);
      const [running] = (await containersOf(stack)).filter((x) => x.State === 'running');
      assert.ok(running);
      const logs = await until('the app prints', 15_000, async () => {
        const text = await logsOf(running.Id);
        return text.includes('bound-file') ? text : undefined;
      });
      assert.match(logs, /cached-step/);
    } finally {
      c.cli(['rm', stack]);
      await removeStackContainers(stack);
      await docker.getImage(image).remove({ force: true }).catch(() => undefined);
    }
  });
});
