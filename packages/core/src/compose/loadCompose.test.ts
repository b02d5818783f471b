import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCompose } from './loadCompose.js';
import { at, brief, load } from './testing.js';

describe('loadCompose', () => {
  test('a minimal service gets every default', () => {
    const r = load(['services:', '  web:', '    image: nginx:1.27']);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.spec, {
      name: 'demo',
      services: {
        web: {
          name: 'web',
          image: 'nginx:1.27',
          env: {},
          labels: {},
          ports: [],
          mode: 'replicated',
          replicas: 1,
          restart: { condition: 'any', delayMs: 500, maxAttempts: 0, windowMs: 0 },
          constraints: [],
          stopGracePeriodMs: 10000,
        },
      },
    });
  });

  const names = [
    { what: 'the folder name by default', options: {}, lines: [], name: 'demo' },
    { what: 'the file name wins over the folder', options: {}, lines: ['name: shop'], name: 'shop' },
    { what: 'the caller wins over the file', options: { stackName: 'other' }, lines: ['name: shop'], name: 'other' },
    { what: 'a folder name is normalized', options: { file: '/x/My App!/stack.yml' }, lines: [], name: 'myapp' },
    { what: 'name is interpolated', options: { env: { S: 'blue' } }, lines: ['name: shop-${S}'], name: 'shop-blue' },
  ];
  for (const c of names) {
    test(`stack name: ${c.what}`, () => {
      const r = load([...c.lines, 'services:', '  web:', '    image: nginx'], c.options);
      assert.deepEqual(r.errors, []);
      assert.equal(r.spec?.name, c.name);
    });
  }

  const badNames = [
    { what: 'from the file', lines: ['name: My Stack'], options: {}, brief: { path: 'name', line: 1, col: 7, message: 'invalid stack name "My Stack" (lowercase letters, digits, "_" and "-")' } },
    { what: 'from the caller', lines: [], options: { stackName: '_x' }, brief: { path: '', line: 0, col: 0, message: 'invalid stack name "_x" (lowercase letters, digits, "_" and "-")' } },
  ];
  for (const c of badNames) {
    test(`an invalid stack name ${c.what} is an error`, () => {
      const r = load([...c.lines, 'services:', '  web:', '    image: nginx'], c.options);
      assert.equal(r.spec, undefined);
      assert.deepEqual(r.errors.map(brief), [c.brief]);
    });
  }

  test('a file without a folder needs a name', () => {
    const r = loadCompose('services:\n  web:\n    image: nginx\n', { file: 'stack.yml' });
    assert.equal(r.spec, undefined);
    assert.deepEqual(at(r.errors), ['@0:0']);
    assert.match(r.errors[0]?.message ?? '', /^no stack name/);
    assert.equal(loadCompose('name: s\nservices: {}\n', { file: 'stack.yml' }).spec?.name, 's');
  });

  test('a service name the engines cannot take is mapped, not refused: upper case runs lowercase, "." as "-", references follow', () => {
    // This test asserted that `Web` is an error; issue 19 asks for the Compose Specification's names (upper case included), mapped.
    const r = load(['services:', '  Web:', '    image: nginx', '    depends_on: [my.db]', '    links: ["my.db:database"]', '  my.db:', '    image: redis']);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(Object.keys(r.spec?.services ?? {}).sort(), ['my-db', 'web']);
    assert.equal(r.spec?.services.web?.name, 'web');
    assert.deepEqual(r.spec?.services.web?.dependsOn?.map((d) => d.service), ['my-db']);
    assert.deepEqual(r.spec?.services['my-db']?.networks?.[0]?.aliases, ['database']);
    // Upper case is silent (names resolve case-insensitively, as written); a dot is not, since `my.db` does not resolve as written.
    assert.deepEqual(r.warnings.filter((w) => w.path.startsWith('services.my.db') && w.line === 6).map((w) => w.message), ['runs as "my-db": a service\'s DNS name cannot hold "." (it would read as service.stack); reach it as "my-db"']);
  });

  test('two service names that map to one are an error at the second', () => {
    const r = load(['services:', '  web:', '    image: nginx', '  Web:', '    image: nginx']);
    assert.deepEqual(r.errors.map(brief), [
      { path: 'services.Web', line: 4, col: 3, message: 'services "web" and "Web" both run as "web" (names are case-insensitive on the engines and in DNS, and "." is "-"); rename one' },
    ]);
  });

  test('a built image of a service named in upper case is named in lowercase', () => {
    const r = loadCompose('name: s\nservices:\n  Api:\n    build: .\n', { file: '/s/stack.yml' });
    assert.equal(r.spec?.services.api?.image, 's-api');
  });

  test('version and x- keys are ignored silently, an unknown top-level key is a schema error', () => {
    const r = load(['version: "3.8"', 'x-common: {a: 1}', 'services:', '  web:', '    image: nginx', 'networks:', '  front: {}', 'volumes: {}', 'nonsense: 1']);
    assert.deepEqual(r.errors.map(brief), [
      { path: 'nonsense', line: 9, col: 1, message: 'unknown key "nonsense" (not in the Compose Specification; "x-" keys are free)' },
    ]);
    assert.deepEqual(r.warnings, []);
  });

  test('a file with only networks or volumes is a valid stack that runs nothing, with a warning at the key', () => {
    for (const text of [['networks:', '  front: {}'], ['name: x', 'volumes:', '  data: {}']]) {
      const r = load(text);
      assert.deepEqual(r.errors, [], text.join(' '));
      assert.deepEqual(r.spec?.services, {});
      assert.deepEqual(r.warnings.map((w) => [w.path, w.line]), [[text[0] === 'name: x' ? 'volumes' : 'networks', text[0] === 'name: x' ? 2 : 1]]);
      assert.match(r.warnings[0]?.message ?? '', /^no services: the stack runs nothing/);
    }
  });

  const shapes = [
    { what: 'no services key', text: 'name: x\n', brief: { path: 'services', line: 1, col: 1, message: 'required (a mapping of service names to services)' } },
    { what: 'an empty file', text: '', brief: { path: 'services', line: 1, col: 1, message: 'required (a mapping of service names to services)' } },
    { what: 'services as a list', text: 'services:\n  - web\n', brief: { path: 'services', line: 2, col: 3, message: 'expected a mapping of service names to services, got a list' } },
    { what: 'services without value', text: 'services:\n', brief: { path: 'services', line: 1, col: 1, message: 'expected a mapping of service names to services, got null' } },
    { what: 'a top-level list', text: '- a\n', brief: { path: '', line: 1, col: 1, message: 'expected a mapping of top-level keys (services, name, ...), got a list' } },
    { what: 'a service that is a string', text: 'services:\n  web: nginx\n', brief: { path: 'services.web', line: 2, col: 8, message: 'expected a mapping, got a string' } },
    { what: 'a service without anything', text: 'services:\n  web:\n', brief: { path: 'services.web', line: 2, col: 3, message: 'image is required (an image reference such as "nginx:1.27")' } },
  ];
  for (const c of shapes) {
    test(`${c.what} is an error`, () => {
      const r = loadCompose(c.text, { file: '/s/demo/stack.yml' });
      assert.equal(r.spec, undefined);
      assert.deepEqual(r.errors.map(brief), [c.brief]);
    });
  }

  test('no services at all is a warning', () => {
    const r = load(['services: {}']);
    assert.deepEqual(r.spec, { name: 'demo', services: {} });
    assert.deepEqual(at(r.warnings), ['services@1:1']);
  });

  test('a yaml syntax error is reported at its position, and alone', () => {
    const r = load(['services:', '  web:', '    image: nginx', '    ports: [80', '  db:', '    imag: x']);
    assert.equal(r.spec, undefined);
    assert.ok(r.errors.length >= 1);
    assert.deepEqual(r.errors.map((p) => p.path), r.errors.map(() => ''));
    assert.deepEqual(at(r.errors.slice(0, 1)), ['@5:3']);
    assert.match(r.errors[0]?.message ?? '', /^invalid yaml: /);
    assert.deepEqual(r.warnings, []);
  });

  test('a duplicate key is a yaml error at the second key', () => {
    const r = load(['services:', '  web:', '    image: a', '    image: b']);
    assert.deepEqual(at(r.errors), ['@4:5']);
    assert.match(r.errors[0]?.message ?? '', /^invalid yaml: map keys must be unique/);
  });

  test('every problem of the file is collected, in file order', () => {
    const r = load([
      'services:',
      '  web:',
      '    image: nginx',
      '    ports: ["80800"]',
      '    deploy:',
      '      replicas: -1',
      '    volumes: [data:/data]',
      // `Db` was the invalid name here; upper case is now mapped (issue 19), a name with no letter or digit is still refused.
      '  _:',
      '    command: "a \'b"',
      '  cache:',
      '    healthcheck: {interval: 5}',
    ]);
    assert.equal(r.spec, undefined);
    assert.deepEqual(at(r.errors), [
      'services.web.ports[0]@4:13',
      'services.web.deploy.replicas@6:17',
      'services.web.volumes[0]@7:15',
      'services._@8:3',
      'services._@8:3',
      'services._.command@9:14',
      'services.cache@10:3',
      'services.cache.healthcheck.interval@11:29',
    ]);
    assert.deepEqual(at(r.warnings), []);
  });

  test('a command problem inside a block scalar or a folded string points at the character at fault', () => {
    const r = load(['services:', '  web:', '    image: nginx', '    command: >', '      sh -c', '      "echo \'x\' &&', '      exit 1', '    entrypoint: sh -c', "      'unclosed"]);
    assert.deepEqual(r.errors.map((e) => `${e.path}@${e.line}:${e.col}`), ['services.web.command@6:7', 'services.web.entrypoint@9:7']);
    assert.match(r.errors[0]?.message ?? '', /unterminated double quote/);
    assert.match(r.errors[1]?.message ?? '', /unterminated single quote/);
  });

  test('anchors, aliases and merge keys are followed, own keys winning', () => {
    const r = load([
      'x-base: &base',
      '  image: busybox',
      '  environment: &env {A: "1", B: "2"}',
      'services:',
      '  web:',
      '    <<: *base',
      '    image: nginx',
      '  worker:',
      '    <<: [*base]',
      '    labels: *env',
    ]);
    assert.deepEqual(r.errors, []);
    assert.equal(r.spec?.services['web']?.image, 'nginx');
    assert.deepEqual(r.spec?.services['web']?.env, { A: '1', B: '2' });
    assert.equal(r.spec?.services['worker']?.image, 'busybox');
    assert.deepEqual(r.spec?.services['worker']?.labels, { A: '1', B: '2' });
  });

  test('an ingress port published twice in the stack is an error at the second use', () => {
    const r = load(['services:', '  web:', '    image: a', '    ports: ["8080:80"]', '  api:', '    image: b', '    ports:', '      - "9000:90"', '      - "8080:81"']);
    assert.deepEqual(r.errors.map(brief), [
      { path: 'services.api.ports[1]', line: 9, col: 9, message: 'published port 8080/tcp is already used by services.web.ports[0]' },
    ]);
  });

  test('host-mode ports may share a published port; udp and tcp do not clash', () => {
    const r = load([
      'services:',
      '  a:',
      '    image: a',
      '    ports: [{target: 80, published: 8080, mode: host}, "53:53/udp"]',
      '  b:',
      '    image: b',
      '    ports: [{target: 80, published: 8080, mode: host}, "53:53/tcp"]',
    ]);
    assert.deepEqual(r.errors, []);
  });
});
