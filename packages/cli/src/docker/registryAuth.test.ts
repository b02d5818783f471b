import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { StackSpec } from '@cluster/core';
import { addRegistryAuth, dockerLogins, registryOf } from './registryAuth.js';

describe('registry credentials of docker login', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compose-auth-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const config = (body: unknown): Record<string, string> => {
    writeFileSync(join(dir, 'config.json'), typeof body === 'string' ? body : JSON.stringify(body));
    return { DOCKER_CONFIG: dir };
  };

  test('registryOf tells the registry of an image as the docker CLI does', () => {
    assert.equal(registryOf('nginx'), 'https://index.docker.io/v1/');
    assert.equal(registryOf('library/nginx:1'), 'https://index.docker.io/v1/');
    assert.equal(registryOf('docker.io/library/nginx'), 'https://index.docker.io/v1/');
    assert.equal(registryOf('127.0.0.1:5000/app:1'), '127.0.0.1:5000');
    assert.equal(registryOf('localhost/app'), 'localhost');
    assert.equal(registryOf('reg.example.com/team/app@sha256:ab'), 'reg.example.com');
  });

  test('auths entries give user and password (base64 auth), keyed by host whatever the form of the key', () => {
    const env = config({ auths: {
      'https://reg.example.com:5000/v1/': { auth: Buffer.from('me:pa:ss').toString('base64') },
      'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') },
      'tok.example': { identitytoken: 'tkn' },
    } });
    const l = dockerLogins(env);
    assert.deepEqual(l.problems, []);
    assert.deepEqual(l.find('reg.example.com:5000'), { serverAddress: 'reg.example.com:5000', username: 'me', password: 'pa:ss' });
    assert.deepEqual(l.find('https://index.docker.io/v1/'), { serverAddress: 'https://index.docker.io/v1/', username: 'hub', password: 'pw' });
    assert.deepEqual(l.find('tok.example'), { serverAddress: 'tok.example', identityToken: 'tkn' });
    assert.equal(l.find('other.example'), undefined);
  });

  test('a credential helper is asked first (credHelpers, then credsStore); a token user name gives an identity token', () => {
    const env = config({ credHelpers: { 'reg.example': 'pass' }, credsStore: 'desktop', auths: { 'reg.example': {} } });
    const asked: string[] = [];
    const l = dockerLogins(env, (helper, registry) => {
      asked.push(`${helper} ${registry}`);
      if (helper === 'pass') return JSON.stringify({ ServerURL: registry, Username: 'u', Secret: 's' });
      return JSON.stringify({ Username: '<token>', Secret: 'idt' });
    });
    assert.deepEqual(l.find('reg.example'), { serverAddress: 'reg.example', username: 'u', password: 's' });
    assert.deepEqual(l.find('other.example'), { serverAddress: 'other.example', identityToken: 'idt' });
    assert.deepEqual(asked, ['pass reg.example', 'desktop other.example']);
  });

  test('no config.json is no login; a broken one is a problem that names the file, not its content', () => {
    assert.deepEqual(dockerLogins({ DOCKER_CONFIG: join(dir, 'none') }).problems, []);
    const l = dockerLogins(config('{"auths": {"x": {"auth": "c2VjcmV0'));
    assert.equal(l.problems.length, 1);
    assert.match(l.problems[0] ?? '', /config\.json: not valid JSON/);
    assert.doesNotMatch(l.problems[0] ?? '', /c2VjcmV0/);
  });

  test('addRegistryAuth gives each service the login of its image registry, and names the registries', () => {
    const env = config({ auths: { '127.0.0.1:5000': { auth: Buffer.from('u:p').toString('base64') } } });
    const spec = { name: 's', services: { a: { image: '127.0.0.1:5000/a' }, b: { image: 'busybox' } } } as unknown as StackSpec;
    assert.deepEqual(addRegistryAuth(spec, dockerLogins(env)), ['127.0.0.1:5000']);
    assert.deepEqual(spec.services.a?.pullAuth, { serverAddress: '127.0.0.1:5000', username: 'u', password: 'p' });
    assert.equal(spec.services.b?.pullAuth, undefined);
  });
});
