import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { brief, load } from './testing.js';

describe('top-level secrets and configs made in the cluster', () => {
  const stack = (...top: string[]) => load(['services:', '  web:', '    image: nginx', '    secrets: [pw, {source: key, target: /etc/key}]', '    configs: [conf]', ...top]);

  test('external: true (by key or name:) and name: alone refer to one made in the cluster, by name, with no content', () => {
    const r = stack('secrets:', '  pw: {external: true}', '  key: {name: tls_key}', 'configs:', '  conf: {external: true, name: app.conf}');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.spec?.services.web?.secrets, [
      { name: 'pw', target: '/run/secrets/pw', dataBase64: '', external: 'pw', mode: 0o444 },
      { name: 'key', target: '/etc/key', dataBase64: '', external: 'tls_key', mode: 0o444 },
    ]);
    assert.deepEqual(r.spec?.services.web?.configs, [{ name: 'conf', target: '/conf', dataBase64: '', external: 'app.conf', mode: 0o444 }]);
  });

  test('external: true with a file is an error at the file; name: beside a file is a warning (not used)', () => {
    const r = stack('secrets:', '  pw: {external: true, file: ./pw.txt}', '  key: {name: tls_key}', 'configs:', '  conf: {content: x, name: other}');
    assert.deepEqual(r.errors.map(brief), [{ path: 'secrets.pw.file', line: 7, col: 24, message: 'a secret with external: true has no file: its content is the one made with cluster secret create' }]);
    assert.deepEqual(r.warnings.map((w) => `${w.path}@${w.line}`), ['configs.conf.name@10']);
  });

  test('an invalid name, and a secret with no source at all, are errors that say how to refer to one made in the cluster', () => {
    const r = stack('secrets:', '  pw: {name: "a b"}', '  key: {labels: {a: b}}', 'configs:', '  conf: {external: true}');
    assert.deepEqual(r.errors.map((e) => e.path), ['secrets.pw.name', 'secrets.key']);
    assert.match(r.errors[1]?.message ?? '', /a secret needs file or environment, or external: true \(or name:\) for one made with cluster secret create/);
  });
});

describe('top-level network labels', () => {
  test('travel with the services on the network, the default one too; not for an external network', () => {
    const r = load(['services:', '  a: {image: x}', '  b: {image: x, networks: [back, shared]}', 'networks:', '  default: {labels: {team: web}}', '  back: {labels: [tier=db]}', '  shared: {external: true, labels: {x: y}}']);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.spec?.services.a?.networks, [{ name: 'demo_default', aliases: [], labels: { team: 'web' } }]);
    assert.deepEqual(r.spec?.services.b?.networks, [{ name: 'demo_back', aliases: [], labels: { tier: 'db' } }, { name: 'shared', aliases: [], external: true }]);
  });
});
