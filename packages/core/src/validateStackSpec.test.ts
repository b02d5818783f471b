import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadStack } from './compose/loadStack.js';
import { MAX_ERROR_CHARS, MAX_REPLICAS, MAX_SERVICES_PER_STACK } from './limits.js';
import { formatSpecProblems, validateStackSpec } from './validateStackSpec.js';

const FILE = `services:
  web:
    image: nginx
    command: ["nginx", "-g", "daemon off;"]
    ports: ["8080:80", {target: 53, published: 53, protocol: udp, mode: host}]
    environment: {A: "1"}
    depends_on: {db: {condition: service_healthy, restart: true}}
    healthcheck: {test: ["CMD", "true"], interval: 5s}
    deploy: {replicas: 3, placement: {constraints: [node.role==worker], preferences: [{spread: node.labels.zone}]}, resources: {limits: {memory: 64m, pids: 10}, reservations: {cpus: "0.5"}}, labels: {x: y}}
    volumes: [data:/data, /tmp:/host:ro, {type: tmpfs, target: /run, tmpfs: {size: 1m}}]
    networks: {front: {aliases: [www]}}
    secrets: [pw]
    configs: [{source: conf, target: /etc/conf, mode: 0440}]
    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 64}
    sysctls: {net.core.somaxconn: 1024}
    extra_hosts: ["h:10.0.0.1"]
    cap_add: [NET_ADMIN]
    init: true
    user: "1000"
    working_dir: /app
    stop_grace_period: 3s
    stop_signal: SIGINT
    expose: ["9000"]
  db:
    image: postgres
    deploy: {mode: global}
    build: {context: ., args: {A: "1"}}
volumes: {data: {}}
networks: {front: {}}
secrets: {pw: {file: ./pw.txt}}
configs: {conf: {content: "hello"}}
`;

function loaded(): { name: string; services: Record<string, Record<string, unknown>> } {
  const files: Record<string, string> = { '/s/shop/compose.yml': FILE, '/s/shop/pw.txt': 'secret' };
  const r = loadStack({ files: ['/s/shop/compose.yml'], readFile: (p) => files[p] });
  assert.deepEqual(r.errors, []);
  assert.ok(r.spec);
  return JSON.parse(JSON.stringify(r.spec)) as never;
}

test('a spec made by the loader, with every kind of key, is valid', () => {
  const spec = loaded();
  assert.deepEqual(validateStackSpec(spec.name, spec), []);
});

test('a spec missing a field, with a field of the wrong type or an unknown field, is refused with each place', () => {
  const spec = loaded();
  const web = spec.services.web!;
  delete web.restart;
  web.ports = [{ target: 80, published: 'x', protocol: 'tcp', mode: 'ingress' }];
  web.constraints = ['node.color==red'];
  web.surprise = 1;
  const problems = validateStackSpec(spec.name, spec);
  assert.deepEqual(problems.map((p) => p.path).sort(), ['services.web.constraints[0]', 'services.web.ports[0].published', 'services.web.restart', 'services.web.surprise']);
  assert.match(formatSpecProblems(problems), /services\.web\.restart: missing/);
});

test('the stack shape itself is checked: name, services, service names and keys', () => {
  assert.match(formatSpecProblems(validateStackSpec('Bad Name', { services: {} })), /^name: invalid stack name "Bad Name"/);
  assert.match(formatSpecProblems(validateStackSpec('s', null)), /expected an object with services, got null/);
  assert.match(formatSpecProblems(validateStackSpec('s', { services: [] })), /^services: expected a mapping/);
  const spec = loaded();
  spec.services.other = spec.services.web!;
  assert.match(formatSpecProblems(validateStackSpec(spec.name, spec)), /services\.other\.name: expected "other"/);
});

test('limits: replicas as scale caps them, services per stack, file content size', () => {
  const spec = loaded();
  spec.services.web!.replicas = MAX_REPLICAS + 1;
  assert.match(formatSpecProblems(validateStackSpec(spec.name, spec)), new RegExp(`services\\.web\\.replicas: expected an integer 0-${MAX_REPLICAS}, got ${MAX_REPLICAS + 1}`));
  const many: Record<string, unknown> = {};
  for (let i = 0; i <= MAX_SERVICES_PER_STACK; i++) many[`s${i}`] = {};
  assert.match(formatSpecProblems(validateStackSpec('s', { services: many })), /at most 1000 per stack/);
  const big = loaded();
  (big.services.web!.secrets as { dataBase64: string }[])[0]!.dataBase64 = 'A'.repeat(2 * 1024 * 1024);
  assert.match(formatSpecProblems(validateStackSpec(big.name, big)), /secrets\[0\]\.dataBase64: about \d+ bytes \(at most 1048576\)/);
});

test('a dependency cycle is refused', () => {
  const spec = loaded();
  spec.services.db!.dependsOn = [{ service: 'web', condition: 'service_started', required: true, restart: false }];
  assert.match(formatSpecProblems(validateStackSpec(spec.name, spec)), /dependency cycle: (web -> db -> web|db -> web -> db)/);
});

test('the loader refuses replicas over the cap as scale does, at the place in the file', () => {
  const files: Record<string, string> = { '/s/x/compose.yml': `services:\n  web:\n    image: i\n    deploy: {replicas: 200000}\n` };
  const r = loadStack({ files: ['/s/x/compose.yml'], readFile: (p) => files[p] });
  assert.equal(r.spec, undefined);
  assert.deepEqual(r.errors.map((e) => [e.path, e.line, e.message]), [['services.web.deploy.replicas', 4, `invalid replicas "200000" (at most ${MAX_REPLICAS}, as for cluster scale)`]]);
});

test('names are DNS labels (63 characters at most), and the message of problems is bounded however long the keys', () => {
  const spec = loaded();
  const web = spec.services.web!;
  const ok = 'w'.repeat(63);
  assert.deepEqual(validateStackSpec(spec.name, { ...spec, services: { ...spec.services, [ok]: { ...web, name: ok } } }), []);
  const long = 'w'.repeat(64);
  assert.match(formatSpecProblems(validateStackSpec(spec.name, { ...spec, services: { ...spec.services, [long]: { ...web, name: long } } })), /service name of 64 characters \(at most 63, a DNS label\)/);
  assert.match(formatSpecProblems(validateStackSpec('s'.repeat(64), spec)), /^name: stack name of 64 characters/);
  const env: Record<string, number> = {};
  for (let i = 0; i < 20; i++) env[`K${i}${'k'.repeat(100_000)}`] = i;
  const text = formatSpecProblems(validateStackSpec(spec.name, { ...spec, services: { ...spec.services, web: { ...web, env } } }));
  assert.ok(text.length <= MAX_ERROR_CHARS, `${text.length} characters`);
  assert.match(text, /^services\.web\.env\.K0k+/);
});
