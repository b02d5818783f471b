/**
 * `cluster config` lints a stack with no manager: it prints the normalized
 * stack, reports every problem with its position and exits non-zero on
 * errors; `--strict` (here and on `deploy`) makes warnings errors.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../run.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** cli runs `cluster ARGS` as a function in `cwd`, with a CLUSTER_HOME that holds nothing. */
async function cli(args: string[], cwd = dir): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (s) => { out += s; }, err: (s) => { err += s; }, env: { CLUSTER_HOME: join(dir, 'no-home') }, cwd });
  return { code, out, err };
}

const GOOD = ['services:', '  web:', '    image: busybox', '    ports: ["8080:80"]', '    secrets: [pw]', 'secrets:', '  pw: {file: ./pw.txt}', ''].join('\n');
writeFileSync(join(dir, 'good.yml'), GOOD);
writeFileSync(join(dir, 'pw.txt'), 'hunter2');

test('config prints the normalized stack as JSON, with no manager and the secret content left out', async () => {
  const r = await cli(['config', '-c', 'good.yml', '--name', 'lint', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const spec = JSON.parse(r.out) as { name: string; services: Record<string, { image: string; ports: { published: number; target: number }[]; secrets: { target: string; dataBase64: string }[] }> };
  assert.equal(spec.name, 'lint');
  assert.equal(spec.services['web']?.image, 'busybox');
  assert.deepEqual(spec.services['web']?.ports.map((p) => [p.published, p.target]), [[8080, 80]]);
  assert.deepEqual(spec.services['web']?.secrets.map((s) => [s.target, s.dataBase64]), [['/run/secrets/pw', '']]);
  assert.doesNotMatch(r.out, /aHVudGVyMg/);
});

test('config prints YAML by default and finds compose.yaml when no file is given', async () => {
  const sub = join(dir, 'shop');
  mkdirSync(sub);
  writeFileSync(join(sub, 'compose.yaml'), 'services:\n  web: {image: nginx}\n');
  const r = await cli(['config'], sub);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^name: shop$/m);
  assert.match(r.out, /^ {4}image: nginx$/m);
});

test('config on a file with errors exits non-zero and reports every error with its position and a caret', async () => {
  writeFileSync(join(dir, 'bad.yml'), ['services:', '  web:', '    image: busybox', '    ports: ["80800:80"]', '  db:', '    command: x', ''].join('\n'));
  const r = await cli(['config', '-c', 'bad.yml']);
  assert.notEqual(r.code, 0);
  assert.equal(r.out, '');
  assert.match(r.err, /bad\.yml:4:\d+ services\.web\.ports\[0\]: .*80800/);
  assert.match(r.err, /bad\.yml:5:\d+ services\.db: image is required/);
  assert.match(r.err, /\n\s*\^/);
  assert.match(r.err, /bad\.yml: 2 errors; the stack is not valid/);
});

test('a bad --format is refused', async () => {
  const r = await cli(['config', '-c', 'good.yml', '--format', 'toml']);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /config: invalid --format "toml" \(yaml or json\)/);
});

const WARNED = ['services:', '  web:', '    image: busybox', '    container_name: my-web', ''].join('\n');
writeFileSync(join(dir, 'warned.yml'), WARNED);

test('a warning is printed once with one "warning:" prefix and its line; --strict makes it an error', async () => {
  const lax = await cli(['config', '-c', 'warned.yml', '-q']);
  assert.equal(lax.code, 0, lax.err);
  assert.equal(lax.out, '');
  assert.match(lax.err, /warned\.yml:4:5 warning: services\.web\.container_name: /);
  assert.equal(lax.err.match(/warning:/g)?.length, 1);
  const strict = await cli(['config', '-c', 'warned.yml', '--strict']);
  assert.notEqual(strict.code, 0);
  assert.match(strict.err, /warned\.yml:4:5 services\.web\.container_name: /);
  assert.match(strict.err, /1 error \(warnings are errors with --strict\); the stack is not valid/);
});

test('deploy --strict refuses a file with a warning before it needs a manager', async () => {
  const r = await cli(['deploy', 'warned.yml', '--strict', '--dry-run']);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /warned\.yml:4:5 services\.web\.container_name: /);
  assert.match(r.err, /1 error \(warnings are errors with --strict\); nothing was deployed/);
});

test('a build context or Dockerfile that does not exist is an error at its line, for config and deploy --dry-run alike', async () => {
  const sub = join(dir, 'build');
  mkdirSync(join(sub, 'app'), { recursive: true });
  writeFileSync(join(sub, 'app', 'Dockerfile'), 'FROM scratch\n');
  writeFileSync(join(sub, 'compose.yml'), ['services:', '  ok:', '    build: ./app', '  gone:', '    build: ./missing', '  nofile:', '    build: {context: ./app, dockerfile: Dockerfile.prod}', ''].join('\n'));
  for (const args of [['config', '-q'], ['deploy', 'compose.yml', '--dry-run']]) {
    const r = await cli(args, sub);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err, /compose\.yml:5:12 services\.gone\.build: build context "missing" is not a folder/);
    assert.match(r.err, /compose\.yml:7:41 services\.nofile\.build\.dockerfile: no Dockerfile at "app\/Dockerfile\.prod"/);
    assert.match(r.err, /2 errors/);
    assert.doesNotMatch(r.err, /services\.ok/);
  }
});
