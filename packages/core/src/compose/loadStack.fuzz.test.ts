/**
 * A property test of the loader over thousands of mutated Compose files
 * (seeded, so a failure is reproducible): loading never throws, and always
 * yields either a spec and no errors, or errors that each have a file, a
 * position inside that file (or line 0 for problems outside any file) and a
 * lowercase message.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadStack } from './loadStack.js';

const BASE = `name: shop
x-defaults: &defaults
  restart: unless-stopped
  environment: [A=1]
services:
  web:
    <<: *defaults
    image: cluster-demo/app:\${TAG:-latest}
    command: ["node", "/app/web.mjs"]
    ports: ["8080:8080", {target: 9090, published: 9091, protocol: udp}]
    depends_on:
      redis: {condition: service_healthy}
    env_file: [web.env]
    networks: {front: {aliases: [www]}, default: null}
    deploy: {replicas: 2, resources: {reservations: {memory: 64m}}, placement: {constraints: [node.role==worker]}}
    healthcheck: {test: ["CMD-SHELL", "true"], interval: 5s}
    secrets: [pw]
  redis:
    image: cluster-demo/redis
    volumes: [data:/data, {type: tmpfs, target: /tmp}]
    ulimits: {nofile: {soft: 1024, hard: 2048}}
    extends: {service: base}
  base:
    image: x
    profiles: [tools]
volumes: {data: {}}
networks: {front: {}}
secrets: {pw: {file: ./pw.txt}}
`;

const TOKENS = [':', '-', ' ', '  ', '\n', '[', ']', '{', '}', ',', '"', "'", '&a', '*a', '<<', '$', '${', '${X:?no}', '#', '0', '-1', '99999', 'null', 'true', '~', 'services', 'image', 'ports', '\t', '!!str', '|', '>'];

/** mulberry32 is a small seeded PRNG. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text: string, rnd: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  let out = text;
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rnd() * (out.length + 1));
    const lines = out.split('\n');
    const line = Math.floor(rnd() * lines.length);
    switch (Math.floor(rnd() * 6)) {
      case 0: out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rnd() * 8)); break;
      case 1: out = out.slice(0, at) + pick(TOKENS) + out.slice(at); break;
      case 2: lines.splice(line, 0, lines[line] ?? ''); out = lines.join('\n'); break;
      case 3: lines.splice(line, 1); out = lines.join('\n'); break;
      case 4: lines[line] = ` ${lines[line] ?? ''}`; out = lines.join('\n'); break;
      default: {
        const other = Math.floor(rnd() * lines.length);
        [lines[line], lines[other]] = [lines[other] ?? '', lines[line] ?? ''];
        out = lines.join('\n');
      }
    }
  }
  return out;
}

test('thousands of mutated files give a spec or positioned errors, never a crash', { timeout: 300_000 }, () => {
  const rnd = mulberry32(5);
  let specs = 0;
  let failures = 0;
  const N = 3000;
  for (let i = 0; i < N; i++) {
    const text = i === 0 ? BASE : mutate(BASE, rnd);
    const files: Record<string, string> = { '/s/shop/compose.yml': text, '/s/shop/web.env': 'B=2\n', '/s/shop/pw.txt': 'x' };
    let r;
    try {
      r = loadStack({ files: ['/s/shop/compose.yml'], readFile: (p) => files[p], env: { TAG: '1' } });
    } catch (err) {
      assert.fail(`case ${i} threw ${(err as Error).stack}\n--- file ---\n${text}`);
    }
    if (r.spec !== undefined) {
      assert.deepEqual(r.errors, [], `case ${i}: a spec comes with no errors`);
      specs++;
      continue;
    }
    failures++;
    assert.ok(r.errors.length > 0, `case ${i}: no spec and no errors\n${text}`);
    for (const e of r.errors) {
      const source = files[e.file];
      assert.ok(source !== undefined, `case ${i}: error in unknown file ${e.file}`);
      const lineCount = source.split('\n').length;
      assert.ok(e.line === 0 || (e.line >= 1 && e.line <= lineCount + 1 && e.col >= 1), `case ${i}: position ${e.line}:${e.col} outside the file: ${e.message}\n${text}`);
      assert.equal(typeof e.path, 'string');
      assert.match(e.message, /^[^A-Z]/, `case ${i}: message starts lowercase: ${e.message}`);
    }
  }
  assert.ok(specs > 0 && failures > 0, `both outcomes occur (${specs} specs, ${failures} failures)`);
});
