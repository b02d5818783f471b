/**
 * The shape of a normalized stack spec (model.ts, serviceOptions.ts), checked
 * field by field. The CLI checks what its loader made before sending it; the
 * manager checks what it receives over DeployStack and what its store holds,
 * with this same function: a spec the manager keeps is one the orchestrator
 * can work on.
 */
import { parseConstraint } from './constraints.js';
import { MAX_ERROR_CHARS, MAX_FILE_MOUNT_BYTES, MAX_NAME_CHARS, MAX_REPLICAS, MAX_SERVICES_PER_STACK } from './limits.js';
import { clipText } from './terminalText.js';
import { EXTERNAL_NAME_RE, NAME_RE, type Healthcheck, type PortSpec, type RestartPolicy, type ServiceSpec } from './model.js';
import type { BuildSpec, Dependency, DeviceMapping, FileMount, LoggingSpec, MountSpec, NetworkAttachment, RegistryAuth, Resources, Ulimit } from './serviceOptions.js';

/** SpecProblem is one thing wrong with a stack spec: where (`services.web.ports[0].target`) and what. */
export interface SpecProblem {
  path: string;
  message: string;
}

type Check = (v: unknown, path: string, out: SpecProblem[]) => void;

/**
 * validateStackSpec checks a stack name and a value meant as its StackSpec
 * (parsed JSON: anything) and returns every problem found, none when the
 * value is a valid spec.
 */
export function validateStackSpec(name: string, spec: unknown): SpecProblem[] {
  const out: SpecProblem[] = [];
  if (!NAME_RE.test(name)) out.push({ path: 'name', message: `invalid stack name ${show(name)} (lowercase letters, digits, "_" and "-"; starts with a letter or digit)` });
  else if (name.length > MAX_NAME_CHARS) out.push({ path: 'name', message: `stack name of ${name.length} characters (at most ${MAX_NAME_CHARS}, a DNS label)` });
  if (!isObject(spec)) return [...out, { path: '', message: `expected an object with services, got ${kind(spec)}` }];
  if (spec.name !== undefined && spec.name !== name) out.push({ path: 'name', message: `${show(spec.name)} differs from the stack name ${show(name)}` });
  const services = spec.services;
  if (!isObject(services)) return [...out, { path: 'services', message: `expected a mapping of service names to services, got ${kind(services)}` }];
  const keys = Object.keys(services);
  if (keys.length > MAX_SERVICES_PER_STACK) return [...out, { path: 'services', message: `${keys.length} services (at most ${MAX_SERVICES_PER_STACK} per stack)` }];
  for (const key of keys) out.push(...validateServiceSpec(key, services[key], `services.${key}`));
  if (out.length === 0) out.push(...dependencyCycles(services as Record<string, { dependsOn?: { service: string }[] }>));
  return out;
}

/** validateServiceSpec checks one service of a stack, stored under `key`; path prefixes the problems. */
export function validateServiceSpec(key: string, spec: unknown, path = `services.${key}`): SpecProblem[] {
  const out: SpecProblem[] = [];
  if (!NAME_RE.test(key)) out.push({ path, message: `invalid service name ${show(key)} (lowercase letters, digits, "_" and "-")` });
  else if (key.length > MAX_NAME_CHARS) out.push({ path: `services.${show(key)}`, message: `service name of ${key.length} characters (at most ${MAX_NAME_CHARS}, a DNS label)` });
  if (!isObject(spec)) return [...out, { path, message: `expected a service, got ${kind(spec)}` }];
  if (spec.name !== key) out.push({ path: `${path}.name`, message: `expected ${show(key)} (the service's key), got ${show(spec.name)}` });
  object<ServiceSpec>(SERVICE_FIELDS, SERVICE_REQUIRED)(spec, path, out);
  return out;
}

/** formatSpecProblems writes problems as one line, the first ten of them, at most MAX_ERROR_CHARS long (paths name keys of any length). */
export function formatSpecProblems(problems: readonly SpecProblem[]): string {
  const shown = problems.slice(0, 10).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  const more = problems.length > 10 ? `; and ${problems.length - 10} more` : '';
  return clipText(shown.join('; ') + more, MAX_ERROR_CHARS);
}

// ---- checks ----

const str = (max = Infinity): Check => (v, path, out) => {
  if (typeof v !== 'string') out.push({ path, message: `expected a string, got ${kind(v)}` });
  else if (v.length > max) out.push({ path, message: `${v.length} characters (at most ${max})` });
};
const nonEmpty: Check = (v, path, out) => {
  if (typeof v !== 'string' || v === '') out.push({ path, message: `expected a non-empty string, got ${kind(v)}` });
};
const int = (min: number, max = Number.MAX_SAFE_INTEGER): Check => (v, path, out) => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) out.push({ path, message: `expected an integer ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}-${max}`}, got ${show(v)}` });
};
const count = int(0);
const bool: Check = (v, path, out) => {
  if (typeof v !== 'boolean') out.push({ path, message: `expected true or false, got ${kind(v)}` });
};
const oneOf = (...values: string[]): Check => (v, path, out) => {
  if (typeof v !== 'string' || !values.includes(v)) out.push({ path, message: `expected ${values.join(' or ')}, got ${show(v)}` });
};
const list = (item: Check): Check => (v, path, out) => {
  if (!Array.isArray(v)) out.push({ path, message: `expected a list, got ${kind(v)}` });
  else v.forEach((x, i) => item(x, `${path}[${i}]`, out));
};
const record = (value: Check): Check => (v, path, out) => {
  if (!isObject(v)) out.push({ path, message: `expected a mapping, got ${kind(v)}` });
  else for (const [k, x] of Object.entries(v)) value(x, `${path}.${k}`, out);
};
const strings = list(str());
const stringMap = record(str());

/**
 * object checks an object's known fields, those required present, and
 * refuses unknown ones. The fields are typed by the model: a field added to
 * ServiceSpec (or to one of its parts) does not compile until it is checked
 * here too.
 */
function object<T>(fields: { [K in keyof Required<T>]: Check }, required: readonly (keyof T & string)[]): Check {
  return (v, path, out) => {
    if (!isObject(v)) {
      out.push({ path, message: `expected an object, got ${kind(v)}` });
      return;
    }
    for (const f of required) if (v[f] === undefined) out.push({ path: `${path}.${f}`, message: 'missing' });
    for (const [f, x] of Object.entries(v)) {
      const check = (fields as Record<string, Check | undefined>)[f];
      if (check === undefined) out.push({ path: `${path}.${f}`, message: 'unknown field' });
      else if (x !== undefined) check(x, `${path}.${f}`, out);
    }
  };
}

const port = int(1, 65535);
const constraint: Check = (v, path, out) => {
  if (typeof v !== 'string') {
    out.push({ path, message: `expected a string, got ${kind(v)}` });
    return;
  }
  const c = parseConstraint(v);
  if ('error' in c) out.push({ path, message: c.error });
};
const base64 = (maxBytes: number): Check => (v, path, out) => {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) out.push({ path, message: `expected base64 text, got ${kind(v)}` });
  else if (Math.floor((v.length * 3) / 4) > maxBytes + 2) out.push({ path, message: `about ${Math.floor((v.length * 3) / 4)} bytes (at most ${maxBytes})` });
};
/** externalName is the name of a secret or config made in the cluster (EXTERNAL_NAME_RE). */
const externalName: Check = (v, path, out) => {
  if (typeof v !== 'string' || !EXTERNAL_NAME_RE.test(v)) out.push({ path, message: `invalid name ${show(v)} (letters, digits, ".", "_" and "-", at most 64)` });
};
const resources = object<Resources>({ nanoCpus: count, memoryBytes: count, pids: count }, ['nanoCpus', 'memoryBytes']);
const fileMount = object<FileMount>(
  { name: nonEmpty, target: nonEmpty, dataBase64: base64(MAX_FILE_MOUNT_BYTES), mode: int(0, 0o7777), uid: str(), gid: str(), external: externalName },
  ['name', 'target', 'dataBase64', 'mode'],
);

const SERVICE_REQUIRED: readonly (keyof ServiceSpec)[] = ['name', 'image', 'env', 'labels', 'ports', 'mode', 'replicas', 'restart', 'constraints', 'stopGracePeriodMs'];
const SERVICE_FIELDS: { [K in keyof Required<ServiceSpec>]: Check } = {
  name: str(),
  image: (v, path, out) => {
    nonEmpty(v, path, out);
    if (typeof v === 'string' && (v.length > 1024 || hasSpaceOrControl(v))) out.push({ path, message: `invalid image reference ${show(v)}` });
  },
  command: strings,
  entrypoint: strings,
  env: stringMap,
  labels: stringMap,
  ports: list(object<PortSpec>({ target: port, published: int(0, 65535), protocol: oneOf('tcp', 'udp'), mode: oneOf('ingress', 'host') }, ['target', 'published', 'protocol', 'mode'])),
  mode: oneOf('replicated', 'global'),
  replicas: int(0, MAX_REPLICAS),
  restart: object<RestartPolicy>({ condition: oneOf('any', 'on-failure', 'none'), delayMs: count, maxAttempts: count, windowMs: count }, ['condition', 'delayMs', 'maxAttempts', 'windowMs']),
  constraints: list(constraint),
  healthcheck: object<Healthcheck>({ test: strings, intervalMs: count, timeoutMs: count, retries: count, startPeriodMs: count }, ['test', 'intervalMs', 'timeoutMs', 'retries', 'startPeriodMs']),
  workingDir: str(),
  user: str(),
  hostname: str(),
  stopGracePeriodMs: count,
  stopSignal: str(),
  expose: strings,
  mounts: list(object<MountSpec>(
    {
      type: oneOf('volume', 'bind', 'tmpfs'), source: str(), target: nonEmpty, readOnly: bool, sizeBytes: count, createHostPath: bool, external: bool,
      propagation: oneOf('private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'), noCopy: bool, mode: int(0, 0o7777),
      labels: stringMap,
    },
    ['type', 'source', 'target', 'readOnly'],
  )),
  networks: list(object<NetworkAttachment>({ name: nonEmpty, aliases: strings, external: bool, labels: stringMap }, ['name', 'aliases'])),
  init: bool,
  privileged: bool,
  capAdd: strings,
  capDrop: strings,
  ulimits: record(object<Ulimit>({ soft: int(-1), hard: int(-1) }, ['soft', 'hard'])),
  sysctls: stringMap,
  shmSizeBytes: count,
  readOnly: bool,
  tty: bool,
  stdinOpen: bool,
  securityOpt: strings,
  devices: list(object<DeviceMapping>({ source: nonEmpty, target: nonEmpty, permissions: str() }, ['source', 'target', 'permissions'])),
  ipc: oneOf('host', 'private', 'shareable', 'none'),
  logging: object<LoggingSpec>({ driver: nonEmpty, options: stringMap }, ['driver', 'options']),
  macAddress: str(),
  runtime: nonEmpty,
  groupAdd: strings,
  dnsSearch: strings,
  dnsOptions: strings,
  domainname: str(),
  oomScoreAdj: int(-1000, 1000),
  cpuShares: count,
  extraHosts: strings,
  dns: strings,
  limits: resources,
  reservations: resources,
  spread: strings,
  maxReplicasPerNode: count,
  serviceLabels: stringMap,
  endpointMode: oneOf('dnsrr'),
  // The manager adds the overlay allocations to the spec an assignment carries; a deployed spec never holds them.
  overlay: (_v, path, out) => out.push({ path, message: 'set by the manager only, not in a deployed spec' }),
  dependsOn: list(object<Dependency>(
    { service: nonEmpty, condition: oneOf('service_started', 'service_healthy', 'service_completed_successfully'), required: bool, restart: bool },
    ['service', 'condition', 'required', 'restart'],
  )),
  secrets: list(fileMount),
  configs: list(fileMount),
  platform: nonEmpty,
  pullPolicy: oneOf('always', 'missing', 'never', 'build'),
  pullAuth: object<RegistryAuth>({ serverAddress: nonEmpty, username: str(1024), password: str(16384), identityToken: str(16384) }, ['serverAddress']),
  build: object<BuildSpec>({ context: str(), dockerfile: str(), args: stringMap, target: str() }, ['context', 'args']),
};

/** dependencyCycles reports services of a stack that depend on each other in a circle (the reconciler would wait forever). */
function dependencyCycles(services: Record<string, { dependsOn?: { service: string }[] }>): SpecProblem[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const out: SpecProblem[] = [];
  const visit = (name: string, trail: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      out.push({ path: `services.${name}.dependsOn`, message: `dependency cycle: ${[...trail.slice(trail.indexOf(name)), name].join(' -> ')}` });
      return;
    }
    state.set(name, 'visiting');
    for (const d of services[name]?.dependsOn ?? []) if (Object.hasOwn(services, d.service)) visit(d.service, [...trail, name]);
    state.set(name, 'done');
  };
  for (const name of Object.keys(services)) if (out.length === 0) visit(name, []);
  return out;
}

/** hasSpaceOrControl tells whether a text holds white space or a control character (no image reference does). */
function hasSpaceOrControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) return true;
  }
  return false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return v === '' ? 'an empty string' : `a string`;
  if (typeof v === 'object') return 'an object';
  return typeof v === 'undefined' ? 'nothing' : `${typeof v} ${show(v)}`;
}

function show(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
