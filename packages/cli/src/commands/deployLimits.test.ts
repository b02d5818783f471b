/**
 * Inputs that could grow without bound are refused by `cluster deploy` before
 * anything reaches a manager: an alias bomb, an oversized file, replicas over
 * the cap of `cluster scale`.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_COMPOSE_FILE_BYTES } from '@cluster/core';
import { run } from '../run.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-limits-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** deploy runs `cluster deploy FILE --dry-run` with no cluster configured: only the file is looked at. */
async function deploy(file: string): Promise<{ code: number; err: string; ms: number }> {
  let err = '';
  const started = Date.now();
  const code = await run(['deploy', file, '--name', 'limits', '--dry-run'], { out: () => undefined, err: (s) => { err += s; }, env: { CLUSTER_HOME: join(dir, 'home') }, cwd: dir });
  return { code, err, ms: Date.now() - started };
}

/** BOMB is a "billion laughs" Compose file of 482 bytes: nine levels of nine aliases, about 387 million strings once expanded. */
function bomb(): string {
  const lines = ['x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  let prev = 'a';
  for (const c of 'bcdefghi') {
    lines.push(`x-${c}: &${c} [${Array(9).fill(`*${prev}`).join(',')}]`);
    prev = c;
  }
  return `${lines.join('\n')}\nservices:\n  web:\n    image: busybox\n    command: *i\n    labels: {pad: "${'p'.repeat(48)}"}\n`;
}

test('a 482-byte alias bomb fails at once with a clear error', { timeout: 30_000 }, async () => {
  const text = bomb();
  assert.equal(text.length, 482);
  writeFileSync(join(dir, 'bomb.yml'), text);
  const r = await deploy('bomb.yml');
  assert.notEqual(r.code, 0);
  assert.match(r.err, /bomb\.yml:1:1 aliases expand too much/);
  assert.match(r.err, /nothing was deployed/);
  // Generous: it takes milliseconds; before the bound it ran for minutes at 1.3 GB.
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
});

test('a Compose file over the size bound is refused without being read', async () => {
  writeFileSync(join(dir, 'huge.yml'), `services:\n  web:\n    image: busybox\n# ${'x'.repeat(MAX_COMPOSE_FILE_BYTES)}\n`);
  const r = await deploy('huge.yml');
  assert.notEqual(r.code, 0);
  assert.match(r.err, new RegExp(`deploy: huge\\.yml is \\d+ bytes \\(at most ${MAX_COMPOSE_FILE_BYTES} for a Compose file\\)`));
});

test('deploy refuses more replicas than scale allows, at the place in the file', async () => {
  writeFileSync(join(dir, 'many.yml'), 'services:\n  web:\n    image: busybox\n    deploy: {replicas: 200000}\n');
  const r = await deploy('many.yml');
  assert.notEqual(r.code, 0);
  assert.match(r.err, /many\.yml:4:\d+ services\.web\.deploy\.replicas: invalid replicas "200000" \(at most 100000, as for cluster scale\)/);
});
