import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadStack } from './loadStack.js';
import { brief } from './testing.js';

/** files makes a reader over a set of files written as lines. */
function files(set: Record<string, string[]>): (path: string) => string | undefined {
  return (path) => set[path]?.join('\n');
}

describe('loadStack', () => {
  test('the .env beside the first file gives variables, the caller env wins', () => {
    const readFile = files({
      '/s/shop/compose.yml': ['services:', '  web:', '    image: nginx:${TAG}', '    environment: ["WHO=${WHO}"]'],
      '/s/shop/.env': ['# comment', 'TAG=1.27', 'export WHO="a ${TAG}"', 'IGNORED'],
    });
    const r = loadStack({ files: ['/s/shop/compose.yml'], readFile });
    assert.deepEqual(r.errors, []);
    assert.equal(r.spec?.services['web']?.image, 'nginx:1.27');
    assert.deepEqual(r.spec?.services['web']?.env, { WHO: 'a 1.27' });
    const r2 = loadStack({ files: ['/s/shop/compose.yml'], readFile, env: { TAG: '2' } });
    assert.equal(r2.spec?.services['web']?.image, 'nginx:2');
  });

  test('--env-file replaces .env and must exist', () => {
    const readFile = files({
      '/s/shop/compose.yml': ['services:', '  web:', '    image: nginx:${TAG}'],
      '/s/shop/.env': ['TAG=dotenv'],
      '/s/prod.env': ['TAG=prod'],
    });
    assert.equal(loadStack({ files: ['/s/shop/compose.yml'], readFile, envFiles: ['/s/prod.env'] }).spec?.services['web']?.image, 'nginx:prod');
    const r = loadStack({ files: ['/s/shop/compose.yml'], readFile, envFiles: ['/s/none.env'] });
    assert.deepEqual(r.errors.map((e) => [e.file, e.message]), [['/s/none.env', 'cannot read env file "/s/none.env" (no such file)']]);
  });

  test('a bad line of an env file is an error at its line', () => {
    const readFile = files({ '/s/a/c.yml': ['services: {}'], '/s/a/.env': ['A=1', 'not valid'] });
    const r = loadStack({ files: ['/s/a/c.yml'], readFile });
    assert.deepEqual(r.errors.map((e) => [e.file, e.line, e.col]), [['/s/a/.env', 2, 1]]);
  });

  test('override files merge as Compose merges them', () => {
    const readFile = files({
      '/s/a/base.yml': [
        'services:',
        '  web:',
        '    image: nginx',
        '    command: [a, b]',
        '    environment: [A=1, B=2]',
        '    ports: ["80:80"]',
        '    volumes: ["data:/data", "/tmp:/tmp"]',
        '    deploy: {replicas: 2, labels: {x: "1"}}',
        'volumes: {data: {}}',
      ],
      '/s/a/prod.yml': [
        'services:',
        '  web:',
        '    command: [c]',
        '    environment: {B: "3", C: "4"}',
        '    ports: ["443:443"]',
        '    volumes: ["other:/data"]',
        '    deploy: {replicas: 3}',
        '  db:',
        '    image: redis',
        'volumes: {other: {}}',
      ],
    });
    const r = loadStack({ files: ['/s/a/base.yml', '/s/a/prod.yml'], readFile });
    assert.deepEqual(r.errors, []);
    const web = r.spec?.services['web'];
    assert.deepEqual(web?.command, ['c']);
    assert.deepEqual(web?.env, { A: '1', B: '3', C: '4' });
    assert.deepEqual(web?.ports.map((p) => p.published), [80, 443]);
    assert.deepEqual(web?.mounts?.map((m) => `${m.source}:${m.target}`), ['/tmp:/tmp', 'a_other:/data']);
    assert.equal(web?.replicas, 3);
    assert.deepEqual(web?.serviceLabels, { x: '1' });
    assert.ok(r.spec?.services['db']);
  });

  test('!reset unsets what the base sets and !override replaces it whole, without a warning', () => {
    const readFile = files({
      '/s/a/base.yml': ['services:', '  web:', '    image: x', '    ports: ["8080:80"]', '    environment: {A: "1", B: "2"}', '    labels: {keep: "1"}', '    command: [sh, -c, "sleep 1"]', '  tool: {image: x, extends: web}'],
      '/s/a/prod.yml': ['services:', '  web:', '    ports: !reset []', '    environment: !override {C: "3"}', '    labels: {more: "2"}', '    command: !reset null', '    user: !reset null'],
    });
    const r = loadStack({ files: ['/s/a/base.yml', '/s/a/prod.yml'], readFile });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
    const web = r.spec?.services['web'];
    assert.deepEqual(web?.ports, []);
    assert.deepEqual(web?.env, { C: '3' });
    assert.deepEqual(web?.labels, { keep: '1', more: '2' });
    assert.equal(web?.command, undefined);
    assert.equal(web?.user, undefined);
  });

  test('!reset in the only file leaves the key out, also under extends', () => {
    const readFile = files({ '/s/a/c.yml': ['services:', '  base: {image: x, ports: ["80"], user: nobody}', '  web: {extends: base, ports: !reset [], hostname: !reset h}'] });
    const r = loadStack({ files: ['/s/a/c.yml'], readFile });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.spec?.services['web']?.ports, []);
    assert.equal(r.spec?.services['web']?.user, 'nobody');
    assert.equal(r.spec?.services['web']?.hostname, undefined);
  });

  test('another unknown tag is still a warning', () => {
    const r = loadStack({ files: ['/s/a/c.yml'], readFile: files({ '/s/a/c.yml': ['services:', '  web: {image: !custom x}'] }) });
    assert.deepEqual(r.warnings.map((w) => [w.line, w.message.slice(0, 26)]), [[2, 'yaml: unresolved tag: !cus']]);
  });

  test('include: an included file is a project of its own: its folder, its .env, its resources join the stack', () => {
    const readFile = files({
      '/s/app/compose.yml': ['include:', '  - ../db/compose.yml', '  - {path: [../cache/a.yml, ../cache/b.yml], env_file: ../cache/vars.env}', 'services:', '  web: {image: "web:${TAG}", depends_on: [db], networks: [back]}'],
      '/s/app/.env': ['TAG=app'],
      '/s/db/compose.yml': ['services:', '  db: {image: "pg:${TAG}", env_file: db.env, volumes: [data:/var/lib/pg], networks: [back]}', 'volumes: {data: {}}', 'networks: {back: {}}'],
      '/s/db/.env': ['TAG=16'],
      '/s/db/db.env': ['PW=x'],
      '/s/cache/a.yml': ['services:', '  cache: {image: "redis:${V}"}'],
      '/s/cache/b.yml': ['services:', '  cache: {environment: [MODE=b]}'],
      '/s/cache/vars.env': ['V=7'],
    });
    const r = loadStack({ files: ['/s/app/compose.yml'], readFile });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
    const s = r.spec?.services;
    assert.equal(s?.['web']?.image, 'web:app');
    assert.equal(s?.['db']?.image, 'pg:16', 'the included file interpolates with its own .env');
    assert.deepEqual(s?.['db']?.env, { PW: 'x' }, 'its env_file is relative to its own folder');
    assert.deepEqual(s?.['db']?.mounts?.map((m) => m.source), ['app_data']);
    assert.deepEqual(s?.['db']?.networks, [{ name: 'app_back', aliases: [] }]);
    assert.equal(s?.['cache']?.image, 'redis:7');
    assert.deepEqual(s?.['cache']?.env, { MODE: 'b' }, 'the files of one item merge as override files');
    const caller = loadStack({ files: ['/s/app/compose.yml'], readFile, env: { TAG: 'env' } });
    assert.equal(caller.spec?.services['db']?.image, 'pg:env', "the caller's environment wins");
  });

  test('include: a name defined twice, a file that includes itself and a missing file are errors at their place', () => {
    const twice = loadStack({ files: ['/s/a/c.yml'], readFile: files({ '/s/a/c.yml': ['include: [d.yml]', 'services:', '  web: {image: x}'], '/s/a/d.yml': ['services:', '  web: {image: y}'] }) });
    assert.deepEqual(twice.errors.map((e) => [e.file, e.path, e.line]), [['/s/a/d.yml', 'services.web', 2]]);
    assert.match(twice.errors[0]?.message ?? '', /^service "web" is defined both here and in "\/s\/a\/c.yml", which includes this file/);
    const loop = loadStack({ files: ['/s/a/c.yml'], readFile: files({ '/s/a/c.yml': ['include: [d.yml]', 'services: {web: {image: x}}'], '/s/a/d.yml': ['include: [c.yml]', 'services: {db: {image: y}}'] }) });
    assert.deepEqual(loop.errors.map((e) => [e.file, e.path]), [['/s/a/d.yml', 'include[0]']]);
    assert.match(loop.errors[0]?.message ?? '', /^"\/s\/a\/c.yml" includes itself \(\/s\/a\/c.yml -> \/s\/a\/d.yml -> \/s\/a\/c.yml\)/);
    const missing = loadStack({ files: ['/s/a/c.yml'], readFile: files({ '/s/a/c.yml': ['include: [none.yml]', 'services: {web: {image: x}}'] }) });
    assert.deepEqual(missing.errors.map((e) => [e.path, e.line, e.message]), [['include[0]', 1, 'cannot read "/s/a/none.yml" (no such file)']]);
  });

  test('a problem in an override file names that file and its position', () => {
    const readFile = files({ '/s/a/base.yml': ['services:', '  web:', '    image: nginx'], '/s/a/o.yml': ['services:', '  web:', '    ports: ["80800"]'] });
    const r = loadStack({ files: ['/s/a/base.yml', '/s/a/o.yml'], readFile });
    assert.deepEqual(r.errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.path}`), ['/s/a/o.yml:3:13 services.web.ports[0]']);
  });

  test('extends in the same file and in another file, relative to the file that says so', () => {
    const readFile = files({
      '/s/a/compose.yml': [
        'services:',
        '  base:',
        '    image: app',
        '    environment: [A=1]',
        '  web:',
        '    extends: base',
        '    environment: [B=2]',
        '  worker:',
        '    extends: {file: common/c.yml, service: worker}',
        '    command: [work, hard]',
      ],
      '/s/a/common/c.yml': ['services:', '  worker:', '    image: app', '    command: [work]', '    user: nobody'],
    });
    const r = loadStack({ files: ['/s/a/compose.yml'], readFile });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.spec?.services['web']?.env, { A: '1', B: '2' });
    assert.equal(r.spec?.services['web']?.image, 'app');
    assert.deepEqual(r.spec?.services['worker']?.command, ['work', 'hard']);
    assert.equal(r.spec?.services['worker']?.user, 'nobody');
  });

  test('extends that goes round, names a missing service or file is an error', () => {
    const readFile = files({
      '/s/a/c.yml': ['services:', '  a:', '    extends: b', '  b:', '    extends: a', '    image: x', '  c:', '    image: x', '    extends: nope', '  d:', '    image: x', '    extends: {file: gone.yml, service: d}'],
    });
    const r = loadStack({ files: ['/s/a/c.yml'], readFile });
    assert.deepEqual(r.errors.map((e) => `${e.path}@${e.line}`), ['services.b.extends@5', 'services.c.extends@9', 'services.d.extends.file@12']);
  });

  test('profiles: a service with profiles runs only when one is active', () => {
    const readFile = files({ '/s/a/c.yml': ['services:', '  web: {image: x}', '  debug: {image: x, profiles: [debug]}', '  tools: {image: x, profiles: [tools, ops]}'] });
    const names = (profiles: string[]): string[] => Object.keys(loadStack({ files: ['/s/a/c.yml'], readFile, profiles }).spec?.services ?? {});
    assert.deepEqual(names([]), ['web']);
    assert.deepEqual(names(['ops']), ['web', 'tools']);
    assert.deepEqual(names(['*']), ['web', 'debug', 'tools']);
  });

  test('schema errors come with their place, all at once', () => {
    const readFile = files({
      '/s/a/c.yml': ['services:', '  web:', '    image: x', '    imagee: y', '    healthcheck: {test: 5}', '    deploy: {mode: sometimes}', '    ports: [{target: web}]'],
    });
    const r = loadStack({ files: ['/s/a/c.yml'], readFile });
    assert.deepEqual(r.errors.map(brief), [
      { path: 'services.web.imagee', line: 4, col: 5, message: 'unknown key "imagee" (not in the Compose Specification; "x-" keys are free)' },
      { path: 'services.web.healthcheck.test', line: 5, col: 25, message: 'expected a command string, or a list starting with "CMD", "CMD-SHELL" or "NONE", got a number' },
      { path: 'services.web.deploy.mode', line: 6, col: 20, message: 'invalid mode "sometimes" (replicated or global)' },
      { path: 'services.web.ports[0].target', line: 7, col: 22, message: 'invalid port "web" (1-65535)' },
    ]);
  });
});
