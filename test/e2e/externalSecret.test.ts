/**
 * Secrets and configs made once in the cluster, outside any stack file
 * (`cluster secret create NAME FILE|-`, `cluster config create`), and used
 * by two stacks through `external: true` and `name:`: the containers of
 * both read the bytes given, binary ones too; listings show names, sizes
 * and users, never the content; the store keeps the content sealed; `rm`
 * of one in use is refused naming the stacks.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, IMAGE, TestCluster, containersOf, execIn, removeStackContainers } from '../support/cluster.js';

const STACKS = ['composeexta', 'composeextb'];
// A binary secret (bytes a text read would change) with a marker to look for in the store's files.
const SECRET = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x80]), Buffer.from('compose-e2e-marker-9c1d')]);
const CONFIG = 'log_level=debug\ncompose-config-marker-51ab\n';

/** hex writes bytes as `od -An -tx1` does, on one line. */
const hex = (b: Buffer): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

/** hexIn reads a file of a container as hex (the exec output is read through a terminal, which would change line ends). */
async function hexIn(id: string, path: string): Promise<string> {
  return (await execIn(id, ['od', '-An', '-tx1', '-v', path])).replace(/\s+/g, ' ').trim();
}

describe('a secret and a config made in the cluster, used by two stacks', { timeout: 240_000 }, () => {
  let c: TestCluster;
  before(async () => {
    for (const s of STACKS) await removeStackContainers(s);
    c = await TestCluster.start();
  });
  after(async () => {
    c?.stop();
    for (const s of STACKS) await removeStackContainers(s);
  });

  test('created once, both stacks\' containers read the same bytes; ls names the users; rm in use is refused naming the stacks', { timeout: 200_000 }, async () => {
    const dir = join(c.home, 'ext');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'db.key'), SECRET);
    const created = c.cli(['secret', 'create', 'db_key', join(dir, 'db.key')]);
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /secret db_key created \(27 bytes\)/);
    // The config comes from standard input.
    const fromStdin = spawnSync(process.execPath, [CLI, 'config', 'create', 'app.conf', '-'], { input: CONFIG, env: { ...process.env, CLUSTER_HOME: c.home }, encoding: 'utf8', timeout: 60_000 });
    assert.equal(fromStdin.status, 0, fromStdin.stderr);
    const again = c.cli(['secret', 'create', 'db_key', join(dir, 'db.key')]);
    assert.notEqual(again.code, 0);
    assert.match(again.err, /secret "db_key" exists already/);

    // Stack a: external: true by key; stack b: name: alone, under other keys and targets.
    writeFileSync(join(dir, 'a.yml'), [
      'services:',
      '  app:',
      `    image: ${IMAGE}`,
      '    command: ["sh", "-c", "sleep 3600"]',
      '    stop_grace_period: 1s',
      '    secrets: [db_key]',
      '    configs: [{source: app.conf, target: /etc/app.conf}]',
      'secrets:',
      '  db_key: {external: true}',
      'configs:',
      '  app.conf: {external: true}',
      '',
    ].join('\n'));
    writeFileSync(join(dir, 'b.yml'), [
      'services:',
      '  worker:',
      `    image: ${IMAGE}`,
      '    command: ["sh", "-c", "sleep 3600"]',
      '    stop_grace_period: 1s',
      '    secrets: [{source: key, target: /keys/db.key}]',
      '    configs: [settings]',
      'secrets:',
      '  key: {name: db_key}',
      'configs:',
      '  settings: {external: true, name: app.conf}',
      '',
    ].join('\n'));
    for (const [i, stack] of STACKS.entries()) {
      const r = c.cli(['deploy', join(dir, i === 0 ? 'a.yml' : 'b.yml'), '--name', stack, '--timeout', '60s']);
      assert.equal(r.code, 0, r.err);
    }
    const reads: [string, string, string][] = [[STACKS[0]!, '/run/secrets/db_key', '/etc/app.conf'], [STACKS[1]!, '/keys/db.key', '/settings']];
    for (const [stack, secretPath, configPath] of reads) {
      const [running] = (await containersOf(stack)).filter((x) => x.State === 'running');
      assert.ok(running, `a container of ${stack} runs`);
      assert.equal(await hexIn(running.Id, secretPath), hex(SECRET), `${stack} reads the secret byte for byte`);
      assert.equal(await hexIn(running.Id, configPath), hex(Buffer.from(CONFIG)), `${stack} reads the config byte for byte`);
    }

    // Listings: names, sizes and users, never the content.
    const ls = c.json<{ name: string; bytes: number; usedBy: string[] }[]>(['secret', 'ls']);
    assert.deepEqual(ls.map((s) => [s.name, s.bytes, s.usedBy]), [['db_key', SECRET.length, [`${STACKS[0]}_app`, `${STACKS[1]}_worker`]]]);
    const table = c.cli(['config', 'ls']);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /app\.conf\s+\d+\s+.*composeexta_app, composeextb_worker/);
    for (const out of [JSON.stringify(ls), table.out, c.cli(['services', '--format', 'json']).out]) {
      assert.doesNotMatch(out, /marker/, 'no listing shows a content');
    }

    // In use: refused, naming both stacks.
    const inUse = c.cli(['secret', 'rm', 'db_key']);
    assert.notEqual(inUse.code, 0);
    assert.match(inUse.err, /secret "db_key" is used by stacks composeexta, composeextb \(services composeexta_app, composeextb_worker\)/);

    // At rest the manager's store holds neither content in clear, nor does its log.
    const managerDir = join(c.home, 'data/manager');
    for (const f of readdirSync(managerDir).filter((n) => n.startsWith('store.db') || n.endsWith('.log'))) {
      const bytes = readFileSync(join(managerDir, f));
      assert.equal(bytes.includes('compose-e2e-marker-9c1d'), false, `${f} holds the secret in clear`);
      assert.equal(bytes.includes('compose-config-marker-51ab'), false, `${f} holds the config in clear`);
    }

    // A deploy naming one the cluster lacks is refused, at its place.
    writeFileSync(join(dir, 'c.yml'), ['services:', '  app:', `    image: ${IMAGE}`, '    secrets: [nope]', 'secrets:', '  nope: {external: true}', ''].join('\n'));
    const missing = c.cli(['deploy', join(dir, 'c.yml'), '--name', 'composeextc', '--timeout', '30s']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.err, /services\.app\.secrets\[0\]: secret "nope" does not exist \(cluster secret create nope FILE\)/);

    // Once the stacks are gone it can be removed.
    for (const s of STACKS) assert.equal(c.cli(['rm', s]).code, 0);
    const rm = c.cli(['secret', 'rm', 'db_key']);
    assert.equal(rm.code, 0, rm.err);
    assert.equal(c.cli(['config', 'rm', 'app.conf']).code, 0);
    assert.deepEqual(c.json(['secret', 'ls']), []);
  });
});
