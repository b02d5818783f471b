/**
 * Pulls as users have them: a registry with password auth (Debian's
 * `docker-registry`, htpasswd, on 127.0.0.1, which the engine trusts over
 * plain HTTP), an image pushed to it from here, and `cluster deploy` of a
 * stack using `127.0.0.1:PORT/img`: the node pulls with the credentials of
 * the deploying user's `docker login` (their `config.json`), and a wrong
 * password fails the deploy with a clear error naming those credentials.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMAGE, TestCluster, containersOf, docker, freePort, removeStackContainers, until } from '../support/cluster.js';

const STACK = 'composeregistrye2e';
const BAD_STACK = 'composeregistrybade2e';
const REGISTRY = '/usr/bin/docker-registry';
const USER = 'compose-e2e';
const PASSWORD = 'pw-compose-e2e-7f3a';

/** dockerConfig writes a config.json as `docker login` writes it (no credential store) and gives its folder. */
function dockerConfig(dir: string, registry: string, password: string): string {
  mkdirSync(dir, { recursive: true });
  const auth = Buffer.from(`${USER}:${password}`).toString('base64');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [registry]: { auth } } }, null, 2), { mode: 0o600 });
  return dir;
}

/** follow waits for the end of a pull or push progress stream, failing on an error line. */
function follow(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
}

describe('pulls with the docker login of the deploying user', { skip: !existsSync(REGISTRY) && 'docker-registry is not installed (apt-get install docker-registry apache2-utils)', timeout: 240_000 }, () => {
  let c: TestCluster | undefined;
  let registry: ChildProcess | undefined;
  let dir = '';
  let address = '';
  let image = '';
  let listImage = '';

  before(async () => {
    await removeStackContainers(STACK);
    await removeStackContainers(BAD_STACK);
    dir = mkdtempSync(join(tmpdir(), 'compose-registry-'));
    const port = await freePort();
    address = `127.0.0.1:${port}`;
    image = `${address}/compose-e2e/busybox:${port}`;
    // htpasswd's bcrypt, as the registry requires.
    const hash = spawnSync('htpasswd', ['-Bbn', USER, PASSWORD], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(hash.status, 0, `htpasswd: ${hash.stderr}`);
    writeFileSync(join(dir, 'htpasswd'), hash.stdout);
    writeFileSync(join(dir, 'config.yml'), [
      'version: 0.1',
      'log: {level: warn}',
      `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}}`,
      `http: {addr: "${address}"}`,
      `auth: {htpasswd: {realm: compose-e2e, path: ${join(dir, 'htpasswd')}}}`,
      '',
    ].join('\n'));
    registry = spawn(REGISTRY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    await until('the registry answers', 30_000, async () => (await fetch(`http://${address}/v2/`).then((r) => r.status, () => 0)) === 401);
    // A locally made image, pushed to the registry with the password, then removed here: only a pull brings it back.
    await docker.getImage(IMAGE).tag({ repo: image.slice(0, image.lastIndexOf(':')), tag: String(port) });
    await follow(await docker.getImage(image).push({ authconfig: { username: USER, password: PASSWORD, serveraddress: address } }));
    await docker.getImage(image).remove();
    // The same image as a list of platforms with one entry, linux/amd64: a pull for another platform finds none in it.
    const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    const one = await fetch(`http://${address}/v2/compose-e2e/busybox/manifests/${port}`, { headers: { authorization: basic, accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
    const body = Buffer.from(await one.arrayBuffer());
    const list = {
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      manifests: [{ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', size: body.length, digest: one.headers.get('docker-content-digest'), platform: { architecture: 'amd64', os: 'linux' } }],
    };
    const put = await fetch(`http://${address}/v2/compose-e2e/busybox/manifests/list-${port}`, { method: 'PUT', headers: { authorization: basic, 'content-type': list.mediaType }, body: JSON.stringify(list) });
    assert.equal(put.status, 201, await put.text());
    listImage = `${address}/compose-e2e/busybox:list-${port}`;
    c = await TestCluster.start();
  });

  after(async () => {
    c?.stop();
    await removeStackContainers(STACK);
    await removeStackContainers(BAD_STACK);
    for (const i of [image, listImage]) if (i !== '') await docker.getImage(i).remove({ force: true }).catch(() => undefined);
    registry?.kill('SIGKILL');
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const stackFile = (name: string, ...keys: string[]): string => {
    const file = join(dir, `${name}.yml`);
    writeFileSync(file, ['services:', '  app:', `    image: ${image}`, '    command: ["sh", "-c", "sleep 3600"]', '    stop_grace_period: 1s', ...keys.map((k) => `    ${k}`), ''].join('\n'));
    return file;
  };

  test('a wrong password fails the deploy, saying the pull was refused and with which login', { timeout: 120_000 }, async () => {
    const config = dockerConfig(join(dir, 'bad-login'), address, 'not-the-password');
    const r = c!.cli(['deploy', stackFile(BAD_STACK), '--name', BAD_STACK, '--timeout', '60s'], { env: { DOCKER_CONFIG: config } });
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.err, new RegExp(`nodes pull with your docker login of ${address.replace(/\./g, '\\.')}`));
    assert.match(r.err, /cannot run: image ".*" is not on this node and could not be pulled: .*(unauthorized|authentication required)/i);
    assert.match(r.err, new RegExp(`pulled with the docker login of ${address.replace(/\./g, '\\.')} given by cluster deploy`));
    assert.doesNotMatch(r.err, /not-the-password/, 'the password is never shown');
    assert.equal(c!.cli(['rm', BAD_STACK]).code, 0);
  });

  test('platform is asked of the pull: an image listed for linux/amd64 only, pulled for linux/arm64, fails with the engine\'s reason', { timeout: 120_000 }, async () => {
    const config = dockerConfig(join(dir, 'login'), address, PASSWORD);
    const file = join(dir, 'platform.yml');
    writeFileSync(file, ['services:', '  app:', `    image: ${listImage}`, '    platform: linux/arm64', '    command: ["sh", "-c", "sleep 3600"]', ''].join('\n'));
    const r = c!.cli(['deploy', file, '--name', BAD_STACK, '--timeout', '60s'], { env: { DOCKER_CONFIG: config } });
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.err, /cannot run: image ".*" is not on this node and could not be pulled: .*no matching manifest for linux\/arm64/i);
    assert.equal(c!.cli(['rm', BAD_STACK]).code, 0);
  });

  test('with the right docker login the node pulls the image and the service runs it', { timeout: 120_000 }, async () => {
    const config = dockerConfig(join(dir, 'login'), address, PASSWORD);
    const r = c!.cli(['deploy', stackFile(STACK), '--name', STACK, '--timeout', '90s'], { env: { DOCKER_CONFIG: config } });
    assert.equal(r.code, 0, r.err);
    const running = await until('the app runs', 30_000, async () => (await containersOf(STACK)).find((x) => x.State === 'running'));
    assert.equal(running.Image, image);
    // The credentials are not in listings, nor in clear in the manager's store or its log.
    const services = c!.cli(['services', STACK, '--format', 'json']);
    assert.doesNotMatch(services.out, new RegExp(PASSWORD));
    const managerDir = join(c!.home, 'data/manager');
    for (const f of readdirSync(managerDir).filter((n) => n.startsWith('store.db') || n.endsWith('.log'))) {
      assert.equal(readFileSync(join(managerDir, f)).includes(PASSWORD), false, `${f} holds the password in clear`);
    }
    assert.equal(c!.cli(['rm', STACK]).code, 0);
  });

  test('pull_policy always pulls an image the node has (a wrong password fails it); never does not pull one it lacks', { timeout: 120_000 }, async () => {
    assert.ok(await docker.getImage(image).inspect(), 'the node has the image from the test before');
    const bad = dockerConfig(join(dir, 'bad-login'), address, 'not-the-password');
    const always = c!.cli(['deploy', stackFile(BAD_STACK, 'pull_policy: always'), '--name', BAD_STACK, '--timeout', '60s'], { env: { DOCKER_CONFIG: bad } });
    assert.notEqual(always.code, 0, always.out);
    assert.match(always.err, /could not be pulled: .*(unauthorized|authentication required)/i);
    assert.equal(c!.cli(['rm', BAD_STACK]).code, 0);
    const absent = join(dir, 'never.yml');
    writeFileSync(absent, ['services:', '  app:', `    image: ${address}/compose-e2e/absent:1`, '    pull_policy: never', ''].join('\n'));
    const never = c!.cli(['deploy', absent, '--name', BAD_STACK, '--timeout', '60s'], { env: { DOCKER_CONFIG: bad } });
    assert.notEqual(never.code, 0, never.out);
    assert.match(never.err, /is not on this node nor held by the manager, and pull_policy never forbids pulling it/);
    assert.equal(c!.cli(['rm', BAD_STACK]).code, 0);
  });
});
