/**
 * Nothing a Compose file asks for is dropped without a word: this test walks
 * every key of a service in the bundled schema (compose.schema.json), and the
 * keys of its nested mappings (`deploy.update_config.parallelism`, …), loads
 * a service that sets it to a valid sample value, and fails unless the
 * loader honours it (the normalized service changes), warns about it (at the
 * key or a mapping above it) or refuses it (an error there) for a reason
 * listed in REFUSED.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadStack } from './loadStack.js';

type Schema = { $ref?: string; type?: string | string[]; properties?: Record<string, Schema>; oneOf?: Schema[]; anyOf?: Schema[]; items?: Schema };

const root = JSON.parse(readFileSync(fileURLToPath(new URL('../../src/compose/compose.schema.json', import.meta.url)), 'utf8')) as Schema & { definitions: Record<string, Schema> };

/** resolve follows $ref and picks the mapping form of a oneOf/anyOf, if there is one. */
function resolve(s: Schema): Schema {
  let cur = s;
  for (let i = 0; i < 10 && cur.$ref !== undefined; i++) cur = root.definitions[cur.$ref.replace('#/definitions/', '')] ?? {};
  const choices = cur.oneOf ?? cur.anyOf;
  const mapping = choices?.map(resolve).find((c) => c.properties !== undefined);
  return mapping ?? cur;
}

/**
 * SAMPLES are valid values for keys whose schema type says too little (a
 * string that must be a duration, a path, an address…), in YAML flow form,
 * by dotted path under the service.
 */
const SAMPLES: Record<string, string> = {
  annotations: '{a: b}',
  blkio_config: '{weight: 300}',
  'blkio_config.weight': '300',
  'blkio_config.weight_device': '[{path: /dev/sda, weight: 300}]',
  'blkio_config.device_read_bps': '[{path: /dev/sda, rate: 1mb}]',
  'blkio_config.device_read_iops': '[{path: /dev/sda, rate: 100}]',
  'blkio_config.device_write_bps': '[{path: /dev/sda, rate: 1mb}]',
  'blkio_config.device_write_iops': '[{path: /dev/sda, rate: 100}]',
  build: '{context: .}',
  'build.context': './web',
  'build.args': '{A: b}',
  'build.ssh': '[default]',
  'build.labels': '{a: b}',
  'build.cache_from': '[x]',
  'build.cache_to': '[x]',
  'build.extra_hosts': '["a=10.0.0.1"]',
  'build.isolation': 'default',
  'build.shm_size': '64m',
  'build.ulimits': '{nofile: 1024}',
  'build.platforms': '[linux/amd64]',
  'build.tags': '[x]',
  'build.secrets': '[pw]',
  'build.additional_contexts': '{a: ./a}',
  'build.entitlements': '[network.host]',
  'build.network': 'host',
  command: '[echo, hi]',
  configs: '[conf]',
  cgroup: 'host',
  container_name: 'my-web',
  cpus: '0.5',
  cpuset: '"0-1"',
  cpu_percent: '50',
  credential_spec: '{file: spec.json}',
  depends_on: '[db]',
  deploy: '{replicas: 2}',
  'deploy.mode': 'global',
  'deploy.endpoint_mode': 'dnsrr',
  'deploy.labels': '{a: b}',
  'deploy.resources': '{limits: {cpus: "0.5"}}',
  'deploy.resources.limits.cpus': '"0.5"',
  'deploy.resources.limits.memory': '64m',
  'deploy.resources.reservations.cpus': '"0.5"',
  'deploy.resources.reservations.memory': '64m',
  'deploy.resources.reservations.generic_resources': '[{discrete_resource_spec: {kind: gpu, value: 1}}]',
  'deploy.resources.reservations.devices': '[{capabilities: [gpu]}]',
  'deploy.restart_policy': '{condition: on-failure}',
  'deploy.restart_policy.condition': 'on-failure',
  'deploy.restart_policy.delay': '5s',
  'deploy.restart_policy.window': '10s',
  'deploy.rollback_config.delay': '5s',
  'deploy.rollback_config.failure_action': 'pause',
  'deploy.rollback_config.monitor': '5s',
  'deploy.rollback_config.order': 'start-first',
  'deploy.update_config.delay': '5s',
  'deploy.update_config.failure_action': 'pause',
  'deploy.update_config.monitor': '5s',
  'deploy.update_config.order': 'start-first',
  'deploy.placement': '{constraints: ["node.role==manager"]}',
  'deploy.placement.constraints': '["node.role==manager"]',
  'deploy.placement.preferences': '[{spread: node.labels.zone}]',
  develop: '{watch: [{path: ., action: sync, target: /app}]}',
  'develop.watch': '[{path: ., action: sync, target: /app}]',
  'develop.watch[].action': 'rebuild',
  'develop.watch[].exec': '{command: [echo]}',
  'develop.watch[].exec.environment': '{A: b}',
  'post_start[].environment': '{A: b}',
  'pre_stop[].environment': '{A: b}',
  'deploy.placement.preferences[].spread': 'node.labels.zone',
  'configs[].source': 'conf',
  'secrets[].source': 'pw',
  'devices[].source': '/dev/fuse',
  'devices[].target': '/dev/f2',
  'devices[].permissions': 'rw',
  'ports[].mode': 'host',
  'ports[].host_ip': '127.0.0.1',
  'ports[].protocol': 'udp',
  'volumes[].type': 'bind',
  'volumes[].target': '/e',
  'volumes[].bind.recursive': 'disabled',
  'volumes[].bind.propagation': 'rshared',
  'volumes[].tmpfs.mode': '0700',
  'volumes[].bind.selinux': 'z',
  'volumes[].volume.labels': '{a: b}',
  'volumes[].tmpfs.size': '1m',
  'env_file[].path': 'web.env',
  'env_file[].format': 'raw',
  'env_file[].required': 'false',
  'gpus[].options': '{a: b}',
  'volumes[].bind': '{create_host_path: false}',
  'volumes[].volume': '{nocopy: true}',
  'volumes[].tmpfs': '{size: 1m}',
  'volumes[].bind.create_host_path': 'false',
  devices: '["/dev/fuse"]',
  device_cgroup_rules: '["c 1:3 mr"]',
  dns: '[1.1.1.1]',
  entrypoint: '[sh]',
  env_file: 'web.env',
  environment: '{A: b}',
  expose: '["80"]',
  extends: 'db',
  'extends.service': 'db',
  'extends.file': 'base.yml',
  extra_hosts: '["a=10.0.0.1"]',
  gpus: 'all',
  healthcheck: '{test: [CMD, "true"]}',
  'healthcheck.test': '[CMD, "true"]',
  'healthcheck.interval': '5s',
  'healthcheck.timeout': '5s',
  'healthcheck.start_period': '5s',
  'healthcheck.start_interval': '5s',
  'healthcheck.disable': 'true',
  hostname: 'web1',
  image: 'other',
  ipc: 'host',
  isolation: 'default',
  label_file: 'labels.env',
  labels: '{a: b}',
  links: '[db]',
  logging: '{driver: local}',
  'logging.driver': 'local',
  'logging.options': '{max-size: 1m}',
  mac_address: '02:42:ac:11:00:02',
  mem_limit: '64m',
  mem_reservation: '64m',
  memswap_limit: '64m',
  models: '[m]',
  network_mode: 'host',
  oom_score_adj: '-500',
  networks: '[default]',
  platform: 'linux/amd64',
  ports: '["8080:80"]',
  post_start: '[{command: [echo]}]',
  pre_stop: '[{command: [echo]}]',
  profiles: '[debug]',
  provider: '{type: x}',
  'provider.type': 'x',
  'provider.options': '{a: b}',
  pull_policy: 'always',
  pull_refresh_after: '1h',
  restart: 'on-failure',
  runtime: 'runc',
  secrets: '[pw]',
  security_opt: '["no-new-privileges:true"]',
  shm_size: '64m',
  stop_grace_period: '5s',
  stop_signal: 'SIGINT',
  storage_opt: '{size: 1g}',
  sysctls: '{net.core.somaxconn: "1024"}',
  tmpfs: '[/run]',
  ulimits: '{nofile: 1024}',
  user: '"1000"',
  userns_mode: 'host',
  uts: 'host',
  volumes: '["data:/data"]',
  volumes_from: '[db]',
  working_dir: '/app',
};

/**
 * BASES are the keys written beside a nested key in its parent mapping when
 * `{}` is not valid on its own (a port needs its target), by the parent's
 * path; `PARENT>KEY` gives the parent of one key its own. The key sampled is
 * never written twice: a base entry of the same name is left out.
 */
const BASES: Record<string, Record<string, string>> = {
  healthcheck: { test: '[CMD, "true"]' },
  'healthcheck>disable': {},
  provider: { type: 'x' },
  extends: { service: 'db' },
  'develop.watch[]': { path: '.', action: 'sync', target: '/app' },
  'develop.watch[]>exec': { path: '.', action: 'sync+exec', target: '/app' },
  'develop.watch[].exec': { command: '[echo]' },
  'configs[]': { source: 'conf' },
  'secrets[]': { source: 'pw' },
  'devices[]': { source: '/dev/fuse' },
  'ports[]': { target: '80' },
  'post_start[]': { command: '[echo]' },
  'pre_stop[]': { command: '[echo]' },
  'volumes[]': { type: 'bind', source: './x', target: '/d' },
  'volumes[]>volume': { type: 'volume', source: 'data', target: '/d' },
  'volumes[]>tmpfs': { type: 'tmpfs', target: '/d' },
  'volumes[]>image': { type: 'image', source: 'img', target: '/d' },
  'blkio_config.weight_device[]': { path: '/dev/sda', weight: '300' },
  'blkio_config.device_read_bps[]': { path: '/dev/sda', rate: '1mb' },
  'blkio_config.device_read_iops[]': { path: '/dev/sda', rate: '100' },
  'blkio_config.device_write_bps[]': { path: '/dev/sda', rate: '1mb' },
  'blkio_config.device_write_iops[]': { path: '/dev/sda', rate: '100' },
  'deploy.resources.reservations.devices[]': { capabilities: '[gpu]' },
  'gpus[]': { capabilities: '[gpu]' },
  'env_file[]': { path: 'web.env' },
  'env_file[]>required': { path: 'none.env' },
  'env_file[]>format': { path: 'raw.env' },
};

/** baseOf is what is written in the mapping at `parent` beside its key `key`. */
function baseOf(parent: string, key: string): string {
  const base = BASES[`${parent}>${key}`] ?? BASES[parent] ?? {};
  return Object.entries(base).filter(([k]) => k !== key).map(([k, v]) => `${k}: ${v}`).join(', ');
}

/** REFUSED lists the keys the loader refuses whatever the value, and why; any other error fails the test. */
const REFUSED: Record<string, RegExp> = {
  // The routing mesh listens on every address of every node: an address of its own is refused (normalizePorts.ts).
  'ports[].host_ip': /^host ip "127.0.0.1" is not supported/,
  // Image volumes need an engine newer than the cluster's (Docker 28).
  'volumes[].image': /^invalid volume type "image"/,
  'volumes[].image.subpath': /^invalid volume type "image"/,
};

const TOP = ['secrets: {pw: {file: ./pw.txt}}', 'configs: {conf: {file: ./app.conf}}', 'volumes: {data: {}}', 'models: {m: {model: ai/x}}'];
const FILES: Record<string, string> = { '/s/demo/pw.txt': 's3cret', '/s/demo/app.conf': 'a=1', '/s/demo/web.env': 'A=1', '/s/demo/raw.env': 'A="quoted ${X}"', '/s/demo/labels.env': 'a=1', '/s/demo/spec.json': '{}', '/s/demo/base.yml': 'services:\n  db: {image: base, tty: true}\n' };

/** load reads a stack whose service web has an image (unless a line gives one) and the given lines. */
function load(lines: string[]) {
  const image = lines.some((l) => l.startsWith('image:')) ? [] : ['    image: app'];
  const text = [...TOP, 'services:', '  db: {image: redis, init: true}', '  web:', ...image, ...lines.map((l) => `    ${l}`)].join('\n');
  return loadStack({ files: ['/s/demo/stack.yml'], readFile: (p) => (p === '/s/demo/stack.yml' ? text : FILES[p]) });
}

/** sample is a value for a key: from SAMPLES, else from the schema's type. */
function sample(path: string, s: Schema): string {
  const given = SAMPLES[path];
  if (given !== undefined) return given;
  const types = [s.type ?? []].flat();
  if (types.includes('boolean')) return 'true';
  if (types.includes('integer') || types.includes('number')) return '2';
  if (types.includes('array')) return '[x]';
  if (types.includes('object')) return '{}';
  return 'x';
}

/**
 * nest writes `value` at a dotted path as one YAML flow line, the parents
 * given by BASES or empty; a part `key[]` is a list of one mapping.
 */
function nest(path: string, value: string): string {
  const parts = path.split('.');
  const last = parts[parts.length - 1] ?? '';
  let text = last.endsWith('[]') ? `${last.slice(0, -2)}: [${value}]` : `${last}: ${value}`;
  for (let i = parts.length - 2; i >= 0; i--) {
    const part = parts[i] ?? '';
    const base = baseOf(parts.slice(0, i + 1).join('.'), parts[i + 1] ?? '');
    const inner = `{${base ? `${base}, ` : ''}${text}}`;
    text = part.endsWith('[]') ? `${part.slice(0, -2)}: [${inner}]` : `${part}: ${inner}`;
  }
  return text;
}

/** KeyPath is a key of a service in the schema, with its schema. */
interface KeyPath { path: string; schema: Schema }

/** keysOf lists the keys under a mapping schema, those of nested mappings and of lists of mappings (`ports[].mode`) included, down to `depth` levels. */
function keysOf(s: Schema, prefix: string, depth: number): KeyPath[] {
  const out: KeyPath[] = [];
  for (const [key, child] of Object.entries(s.properties ?? {})) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const r = resolve(child);
    out.push({ path, schema: r });
    if (depth <= 1) continue;
    if (r.properties !== undefined) out.push(...keysOf(r, path, depth - 1));
    // A list of mappings, or a list among the forms a key takes (`env_file: [{path, format}]`).
    const lists = [r, ...(r.oneOf ?? r.anyOf ?? []).map(resolve)].filter((x) => x.items !== undefined);
    const item = lists.map((x) => resolve(x.items ?? {})).find((x) => x.properties !== undefined);
    if (item !== undefined) out.push(...keysOf(item, `${path}[]`, depth - 1));
  }
  return out;
}

const service = resolve(root.definitions['service'] ?? {});
const KEYS = keysOf(service, '', 4);

test('the walk covers every service key of the schema and the nested ones', () => {
  assert.ok(KEYS.length > 150, `${KEYS.length} keys`);
  for (const k of ['tty', 'deploy.update_config.parallelism', 'build.dockerfile_inline', 'healthcheck.start_interval', 'deploy.resources.limits.pids']) {
    assert.ok(KEYS.some((x) => x.path === k), k);
  }
});

test('every key of a service is honoured, warned about or refused: none is dropped without a word', () => {
  const silent: string[] = [];
  const badSample: string[] = [];
  for (const { path, schema } of KEYS) {
    const parent = path.split('.').slice(0, -1).join('.');
    const leaf = path.split('.').pop() ?? '';
    const base = load(parent === '' ? [] : [nest(parent, `{${baseOf(parent, leaf)}}`)]);
    const r = load([nest(path, sample(path, schema))]);
    const full = `services.web.${path.replaceAll('[]', '[0]')}`;
    // A problem at the key, at a mapping above it (up to the service) or inside its value counts.
    const about = (p: { path: string }): boolean => p.path !== 'services.web' && (full === p.path || full.startsWith(`${p.path}.`) || full.startsWith(`${p.path}[`) || p.path.startsWith(`${full}.`) || p.path.startsWith(`${full}[`));
    const errors = r.errors.filter(about);
    if (errors.length > 0) {
      const why = REFUSED[path];
      if (why === undefined || !errors.some((e) => why.test(e.message))) badSample.push(`${path}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      continue;
    }
    if (r.errors.length > 0) {
      badSample.push(`${path}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      continue;
    }
    if (r.warnings.some(about)) continue;
    // A key its mapping cannot go without (a port's target) is read: the mapping is valid with it only.
    if (base.errors.length > 0) continue;
    const honoured = JSON.stringify(r.spec) !== JSON.stringify(base.spec);
    if (!honoured) silent.push(`${path} (${sample(path, schema)})`);
  }
  assert.deepEqual(badSample, [], 'a sample value was refused: give a valid one in SAMPLES, or list the key in REFUSED with the reason');
  assert.deepEqual(silent, [], 'these keys are neither honoured, warned about nor refused');
});

/** RESOURCE_SAMPLES are valid values for keys of top-level networks, volumes, secrets and configs, by `kind.key`. */
const RESOURCE_SAMPLES: Record<string, string> = {
  'networks.name': 'real-net',
  'networks.driver': 'overlay',
  'networks.driver_opts': '{a: b}',
  'networks.ipam': '{config: [{subnet: 10.9.0.0/24}]}',
  'networks.labels': '{a: b}',
  'volumes.name': 'real-vol',
  'volumes.driver': 'nfs',
  'volumes.driver_opts': '{a: b}',
  'volumes.labels': '{a: b}',
  'secrets.file': './other.txt',
  'secrets.environment': 'SECRET',
  'secrets.labels': '{a: b}',
  'secrets.driver_opts': '{a: b}',
  'configs.file': './other.txt',
  'configs.content': 'y',
  'configs.environment': 'SECRET',
  'configs.labels': '{a: b}',
};

/** RESOURCE_BASES are what a secret or config needs beside the key sampled. */
const RESOURCE_BASES: Record<string, string> = { secrets: 'file: ./pw.txt', configs: 'content: x' };

/** RESOURCE_REFUSED are keys of top-level resources the loader refuses, and why (none since secrets and configs made in the cluster are referred to by external and name). */
const RESOURCE_REFUSED: Record<string, RegExp> = {};

test('every key of top-level networks, volumes, secrets and configs is honoured, warned about or refused', () => {
  const kinds: [string, string][] = [['networks', 'network'], ['volumes', 'volume'], ['secrets', 'secret'], ['configs', 'config']];
  const uses = '  web: {image: app, networks: [r], volumes: ["r:/r"], secrets: [r], configs: [r]}';
  const stack = (kind: string, entry: string): string => [
    ...kinds.map(([k]) => `${k}: {r: ${k === kind ? entry : k === 'secrets' || k === 'configs' ? `{${RESOURCE_BASES[k]}}` : '{}'}}`),
    'services:', uses,
  ].join('\n');
  const files: Record<string, string> = { '/s/demo/pw.txt': 's3cret', '/s/demo/other.txt': 'other' };
  const loadText = (text: string) => loadStack({ files: ['/s/demo/stack.yml'], readFile: (p) => (p === '/s/demo/stack.yml' ? text : files[p]), env: { SECRET: 'from-env' } });
  const silent: string[] = [];
  const bad: string[] = [];
  for (const [kind, def] of kinds) {
    for (const [key, schema] of Object.entries(resolve(root.definitions[def] ?? {}).properties ?? {})) {
      const path = `${kind}.${key}`;
      const base = RESOURCE_BASES[kind] ?? '';
      const value = RESOURCE_SAMPLES[path] ?? sample(path, resolve(schema));
      // A source (file, environment, content) replaces the base's: a secret has one.
      // So does external: true (the content is the one made in the cluster).
      const own = ['file', 'environment', 'content', 'external'].includes(key) ? '' : base;
      const r = loadText(stack(kind, `{${own ? `${own}, ` : ''}${key}: ${value}}`));
      const before = loadText(stack(kind, `{${base}}`));
      const at = `${kind}.r.${key}`;
      const errors = r.errors.filter((e) => e.path === at || e.path.startsWith(`${at}.`));
      if (errors.length > 0) {
        if (!errors.some((e) => RESOURCE_REFUSED[path]?.test(e.message))) bad.push(`${path}: ${errors.map((e) => e.message).join('; ')}`);
        continue;
      }
      if (r.errors.length > 0) {
        bad.push(`${path}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
        continue;
      }
      if (r.warnings.some((w) => w.path === at || w.path.startsWith(`${at}.`))) continue;
      if (JSON.stringify(r.spec) === JSON.stringify(before.spec)) silent.push(`${path} (${value})`);
    }
  }
  assert.deepEqual(bad, [], 'a sample value was refused: give a valid one, or list the key as refused with the reason');
  assert.deepEqual(silent, [], 'these keys are neither honoured, warned about nor refused');
});
