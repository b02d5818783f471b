import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PortSpec } from '../model.js';
import { brief, load, web, webService } from './testing.js';

const tcp = (target: number, published = 0, mode: PortSpec['mode'] = 'ingress'): PortSpec => ({ target, published, protocol: 'tcp', mode });
const udp = (target: number, published = 0): PortSpec => ({ target, published, protocol: 'udp', mode: 'ingress' });

describe('normalizePorts', () => {
  const valid: { yaml: string; want: PortSpec[] }[] = [
    { yaml: '"80"', want: [tcp(80)] },
    { yaml: '80', want: [tcp(80)] },
    { yaml: '"8080:80"', want: [tcp(80, 8080)] },
    { yaml: '8080:80', want: [tcp(80, 8080)] },
    { yaml: '"8080:80/udp"', want: [udp(80, 8080)] },
    { yaml: '"53:53/UDP"', want: [udp(53, 53)] },
    { yaml: '"8000-8001:80-81"', want: [tcp(80, 8000), tcp(81, 8001)] },
    { yaml: '"80-82"', want: [tcp(80), tcp(81), tcp(82)] },
    { yaml: '"${PORT:-9000}:90"', want: [tcp(90, 9000)] },
    { yaml: '{target: 80}', want: [tcp(80)] },
    { yaml: '{target: 80, published: 8080}', want: [tcp(80, 8080)] },
    { yaml: '{target: "80", published: "8080", protocol: udp}', want: [udp(80, 8080)] },
    { yaml: '{target: 80, published: 8080, mode: host}', want: [tcp(80, 8080, 'host')] },
  ];
  for (const c of valid) {
    test(`ports: [${c.yaml}]`, () => {
      assert.deepEqual(webService(web(`    ports: [${c.yaml}]`)).ports, c.want);
    });
  }

  test('a host ip other than every address is refused with an error at its place (it would listen on every node)', () => {
    const cases: [string, number, string][] = [
      ['"127.0.0.1:8080:80"', 13, 'services.web.ports[0]'],
      ['"[::1]:8080:80"', 13, 'services.web.ports[0]'],
      ['"127.0.0.1::80"', 13, 'services.web.ports[0]'],
      ['{target: 80, published: 8080, host_ip: 127.0.0.1}', 52, 'services.web.ports[0].host_ip'],
    ];
    for (const [entry, col, path] of cases) {
      const r = load(web(`    ports: [${entry}]`));
      assert.equal(r.spec, undefined, entry);
      assert.deepEqual(r.errors.map(brief), [{ path, line: 4, col, message: r.errors[0]?.message ?? '' }], entry);
      assert.match(r.errors[0]?.message ?? '', /^host ip ".*" is not supported: a published port listens on every address of every node/);
    }
  });

  test('a host ip that means every address is accepted without a word', () => {
    for (const entry of ['"0.0.0.0:8080:80"', '"[::]:8080:80"', '{target: 80, published: 8080, host_ip: 0.0.0.0}']) {
      const r = load(web(`    ports: [${entry}]`));
      assert.deepEqual(r.errors, [], entry);
      assert.deepEqual(r.warnings, [], entry);
      assert.deepEqual(r.spec?.services['web']?.ports, [tcp(80, 8080)], entry);
    }
  });

  // `    ports: [` is 12 characters: an entry starts at column 13.
  const invalid = [
    { yaml: '"80800"', path: 'services.web.ports[0]', col: 13, message: 'invalid port "80800" (1-65535)' },
    { yaml: '"8080:0"', path: 'services.web.ports[0]', col: 13, message: 'invalid port "0" (1-65535)' },
    { yaml: '"http"', path: 'services.web.ports[0]', col: 13, message: 'invalid port "http" (1-65535)' },
    { yaml: '"80/sctp"', path: 'services.web.ports[0]', col: 13, message: 'invalid protocol "sctp" (tcp or udp)' },
    { yaml: '"1:2:3:4"', path: 'services.web.ports[0]', col: 13, message: 'invalid port mapping "1:2:3:4" (like "80", "8080:80", "8080:80/udp" or "127.0.0.1:8080:80")' },
    { yaml: '"81-80"', path: 'services.web.ports[0]', col: 13, message: 'invalid port range "81-80" (the first port must not be above the last)' },
    { yaml: '"8000-8002:80-81"', path: 'services.web.ports[0]', col: 13, message: 'invalid port mapping "8000-8002:80-81" (the published and target ranges must have the same length)' },
    { yaml: '[80]', path: 'services.web.ports[0]', col: 13, message: 'expected a port (like "80", "8080:80", "8080:80/udp" or "127.0.0.1:8080:80") or a mapping with target, got a list' },
    { yaml: '{published: 80}', path: 'services.web.ports[0]', col: 13, message: 'target is required (the container port, 1-65535)' },
    { yaml: '{target: 70000}', path: 'services.web.ports[0].target', col: 22, message: 'invalid port "70000" (1-65535)' },
    { yaml: '{target: 80, published: -1}', path: 'services.web.ports[0].published', col: 37, message: 'invalid port "-1" (1-65535)' },
    { yaml: '{target: 80, protocol: icmp}', path: 'services.web.ports[0].protocol', col: 36, message: 'invalid protocol "icmp" (tcp or udp)' },
    { yaml: '{target: 80, mode: global}', path: 'services.web.ports[0].mode', col: 32, message: 'invalid mode "global" (ingress or host)' },
  ];
  for (const c of invalid) {
    test(`ports: [${c.yaml}] is an error`, () => {
      const r = load(web(`    ports: [${c.yaml}]`));
      assert.equal(r.spec, undefined);
      assert.deepEqual(r.errors.map(brief), [{ path: c.path, line: 4, col: c.col, message: c.message }]);
    });
  }

  test('ports that are not a list is an error', () => {
    const r = load(web('    ports: "80:80"'));
    assert.deepEqual(r.errors.map(brief), [{ path: 'services.web.ports', line: 4, col: 12, message: 'expected a list of ports, got a string' }]);
  });

  test('an unknown key of a long port is a warning', () => {
    const r = load(web('    ports:', '      - target: 80', '        app_protocol: http'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings.map(brief), [{ path: 'services.web.ports[0].app_protocol', line: 6, col: 9, message: 'not supported yet, ignored' }]);
  });

  test('every bad port of a list is reported', () => {
    const r = load(web('    ports:', '      - "80800"', '      - "8080:80"', '      - "99999:1"'));
    assert.deepEqual(r.errors.map((p) => `${p.path}@${p.line}:${p.col}`), ['services.web.ports[0]@5:9', 'services.web.ports[2]@7:9']);
  });
});
