import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { brief, load, web, webService } from './testing.js';

describe('normalizeService', () => {
  const commands = [
    { yaml: 'command: nginx -g "daemon off;"', want: ['nginx', '-g', 'daemon off;'] },
    { yaml: "command: sh -c 'echo $$HOME'", want: ['sh', '-c', 'echo $HOME'] },
    { yaml: 'command: a\\ b "" c', want: ['a b', '', 'c'] },
    { yaml: 'command: ["sleep", "10"]', want: ['sleep', '10'] },
    { yaml: 'command: []', want: [] },
    { yaml: 'entrypoint: /bin/sh -c', want: ['/bin/sh', '-c'], key: 'entrypoint' as const },
    { yaml: 'entrypoint: ["tini", "--"]', want: ['tini', '--'], key: 'entrypoint' as const },
  ];
  for (const c of commands) {
    test(`${c.yaml} gives ${JSON.stringify(c.want)}`, () => {
      assert.deepEqual(webService(web(`    ${c.yaml}`))[c.key ?? 'command'], c.want);
    });
  }

  test('a command key without value leaves the image CMD', () => {
    assert.equal(webService(web('    command:')).command, undefined);
  });

  const envs: { what: string; lines: string[]; env: Record<string, string>; want: Record<string, string> }[] = [
    { what: 'a list of K=V', lines: ['    environment:', '      - A=1', '      - B=x=y', '      - C='], env: {}, want: { A: '1', B: 'x=y', C: '' } },
    { what: 'a list K takes the caller env or is left out', lines: ['    environment: [HOME, NOPE]'], env: { HOME: '/root' }, want: { HOME: '/root' } },
    { what: 'a map with numbers and booleans as written', lines: ['    environment:', '      N: 0755', '      F: 1.0', '      B: true', '      S: "x"'], env: {}, want: { N: '0755', F: '1.0', B: 'true', S: 'x' } },
    { what: 'a map null takes the caller env or is left out', lines: ['    environment:', '      HOME:', '      NOPE: ~'], env: { HOME: '/h' }, want: { HOME: '/h' } },
    { what: 'values are interpolated', lines: ['    environment: ["URL=http://${HOST:-db}:5432"]'], env: {}, want: { URL: 'http://db:5432' } },
  ];
  for (const c of envs) {
    test(`environment as ${c.what}`, () => {
      assert.deepEqual(webService(web(...c.lines), c.env).env, c.want);
    });
  }

  const labels = [
    { what: 'a list', lines: ['    labels: ["a.b=1", "flag"]'], want: { 'a.b': '1', flag: '' } },
    { what: 'a map', lines: ['    labels:', '      com.example.tier: web', '      n: 2', '      empty:'], want: { 'com.example.tier': 'web', n: '2', empty: '' } },
  ];
  for (const c of labels) {
    test(`labels as ${c.what}`, () => {
      assert.deepEqual(webService(web(...c.lines)).labels, c.want);
    });
  }

  test('plain string keys are copied', () => {
    const s = webService(web('    working_dir: /app', '    user: 1000:1000', '    hostname: web-1', '    stop_signal: SIGINT', '    stop_grace_period: 1m30s'));
    assert.deepEqual(
      { workingDir: s.workingDir, user: s.user, hostname: s.hostname, stopSignal: s.stopSignal, stopGracePeriodMs: s.stopGracePeriodMs },
      { workingDir: '/app', user: '1000:1000', hostname: 'web-1', stopSignal: 'SIGINT', stopGracePeriodMs: 90000 },
    );
    assert.equal(webService(web('    user: "1000"')).user, '1000');
  });

  test('a number where the Compose schema wants a string is an error, as docker compose says', () => {
    const r = load(web('    user: 1000', '    command: ["sleep", 10]'));
    assert.deepEqual(r.errors.map(brief), [
      { path: 'services.web.user', line: 4, col: 11, message: 'expected a string, got a number "1000"' },
      { path: 'services.web.command[1]', line: 5, col: 24, message: 'expected a string, got a number "10"' },
    ]);
  });

  const errors = [
    { what: 'a missing image', lines: ['services:', '  web:', '    command: x'], brief: { path: 'services.web', line: 2, col: 3, message: 'image is required (an image reference such as "nginx:1.27")' } },
    { what: 'an empty image', lines: ['services:', '  web:', '    image:'], brief: { path: 'services.web.image', line: 3, col: 5, message: 'expected an image reference such as "nginx:1.27", got null' } },
    { what: 'an image that is a list', lines: ['services:', '  web:', '    image: [a]'], brief: { path: 'services.web.image', line: 3, col: 12, message: 'expected an image reference such as "nginx:1.27", got a list' } },
    { what: 'an image with blanks', lines: ['services:', '  web:', '    image: "a b"'], brief: { path: 'services.web.image', line: 3, col: 12, message: 'invalid image "a b" (an image reference such as "nginx:1.27")' } },
    { what: 'an unterminated quote', lines: web('    command: echo "hi'), brief: { path: 'services.web.command', line: 4, col: 14, message: 'invalid command "echo \\"hi" (unterminated double quote)' } },
    { what: 'a command of a number', lines: web('    command: 5'), brief: { path: 'services.web.command', line: 4, col: 14, message: 'expected a string or a list of strings, got a number' } },
    { what: 'a command list holding a map', lines: web('    command: [a, {b: c}]'), brief: { path: 'services.web.command[1]', line: 4, col: 18, message: 'expected a string, got a mapping' } },
    { what: 'an environment string', lines: web('    environment: A=1'), brief: { path: 'services.web.environment', line: 4, col: 18, message: 'expected a mapping or a list of "KEY=VALUE", got a string' } },
    { what: 'an environment entry without key', lines: web('    environment: ["=1"]'), brief: { path: 'services.web.environment[0]', line: 4, col: 19, message: 'invalid entry "=1" ("KEY=VALUE" or "KEY", the key without blanks)' } },
    { what: 'an environment value that is a list', lines: web('    environment:', '      A: [1]'), brief: { path: 'services.web.environment.A', line: 5, col: 10, message: 'expected a string, number or boolean, got a list' } },
    { what: 'a label list item that is a number', lines: web('    labels: [1]'), brief: { path: 'services.web.labels[0]', line: 4, col: 14, message: 'expected "KEY=VALUE" or "KEY", got a number' } },
    { what: 'a relative working_dir', lines: web('    working_dir: app'), brief: { path: 'services.web.working_dir', line: 4, col: 18, message: 'invalid working_dir "app" (an absolute path)' } },
    { what: 'a bad hostname', lines: web('    hostname: "-x"'), brief: { path: 'services.web.hostname', line: 4, col: 15, message: 'invalid hostname "-x" (letters, digits, "." and "-")' } },
    { what: 'a bad stop_grace_period', lines: web('    stop_grace_period: 10'), brief: { path: 'services.web.stop_grace_period', line: 4, col: 24, message: 'invalid duration "10" (like "5s", "1m30s" or "500ms")' } },
    { what: 'a bad stop_signal', lines: web('    stop_signal: "SIG TERM"'), brief: { path: 'services.web.stop_signal', line: 4, col: 18, message: 'invalid stop_signal "SIG TERM" (a signal such as "SIGTERM")' } },
  ];
  for (const c of errors) {
    test(`${c.what} is an error`, () => {
      const r = load(c.lines);
      assert.equal(r.spec, undefined);
      assert.deepEqual(r.errors.map(brief), [c.brief]);
    });
  }

  test('a service key of the specification that is not supported is a warning naming the key at its line', () => {
    const r = load(web('    pid: host', '    userns_mode: host', '    x-note: silent'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings.map(brief), [
      { path: 'services.web.pid', line: 4, col: 5, message: 'not supported yet, ignored' },
      { path: 'services.web.userns_mode', line: 5, col: 5, message: 'not supported yet, ignored' },
    ]);
  });

  test('build names the image, or the image is <stack>-<service>; the context is relative to the file', () => {
    const s = webService(web('    build: {context: ./web, dockerfile: Dockerfile.prod, args: [V=1], target: prod}'));
    assert.equal(s.image, 'nginx');
    assert.deepEqual(s.build, { context: '/stacks/demo/web', dockerfile: 'Dockerfile.prod', args: { V: '1' }, target: 'prod' });
    const r = load(['services:', '  web:', '    build: .']);
    assert.equal(r.spec?.services['web']?.image, 'demo-web');
    assert.deepEqual(r.spec?.services['web']?.build, { context: '/stacks/demo', args: {} });
  });
});
