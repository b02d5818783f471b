import { isMap, type YAMLMap } from 'yaml';
import { NAME_RE, type ServiceSpec, type StackSpec } from '../model.js';
import { type LoadContext, NOWHERE } from './context.js';
import { defaultStackName } from './defaultStackName.js';
import { MAX_SERVICES_PER_STACK } from '../limits.js';
import { describe, type Entry, entriesOf, isNull, quote, readString, warnUnsupported } from './nodes.js';
import { normalizeResources } from './normalizeResources.js';
import { emptyResources } from './StackResources.js';
import { checkDependencyCycles } from './normalizeDependsOn.js';
import { applyLinks } from './normalizeNetworks.js';
import { normalizeService } from './normalizeService.js';
import type { ServiceDraft } from './ServiceDraft.js';
import { engineServiceName } from './engineServiceName.js';

const NAME_FORM = 'lowercase letters, digits, "_" and "-"';
const TOP_LEVEL = new Set(['services', 'name', 'networks', 'volumes', 'secrets', 'configs']);

/**
 * normalizeStack reads a merged Compose tree into a StackSpec: the stack
 * name, the top-level resources, then every service; undefined when the name
 * cannot be decided. Problems go to ctx.
 */
export function normalizeStack(ctx: LoadContext, root: YAMLMap, nameOption: string | undefined): StackSpec | undefined {
  const entries = new Map<string, Entry>();
  for (const e of entriesOf(ctx, root, '')) {
    if (TOP_LEVEL.has(e.key)) entries.set(e.key, e);
    else if (e.key === 'version' || e.key.startsWith('x-')) continue; // version is obsolete; x- keys are extensions
    else warnUnsupported(ctx, e);
  }
  const name = stackName(ctx, nameOption, entries.get('name'));
  ctx.resources = emptyResources(name ?? 'stack');
  const services = entries.get('services');
  if (services !== undefined && isMap(services.value)) {
    for (const s of entriesOf(ctx, services.value, services.path)) {
      ctx.resources.services.add(s.key);
      if (!NAME_RE.test(s.key)) ctx.serviceNames.set(s.key, engineServiceName(s.key));
    }
  }
  normalizeResources(ctx, name ?? 'stack', entries, ctx.resources);
  const drafts = readServices(ctx, services, entries.get('networks') ?? entries.get('volumes'));
  checkPublishedPorts(ctx, drafts);
  checkDependencyCycles(ctx, drafts);
  const containerNames = new Map<string, string>();
  for (const d of drafts) if (d.containerName !== undefined) containerNames.set(d.spec.name, d.containerName);
  applyLinks(drafts, containerNames, ctx.resources.networks.get('default')?.engineName ?? `${ctx.resources.stack}_default`);
  // The default network's labels travel with the services on it, as those of networks they list do.
  const byDefault = ctx.resources.networks.get('default');
  if (byDefault?.labels !== undefined && !byDefault.external) {
    for (const d of drafts) d.spec.networks ??= [{ name: byDefault.engineName, aliases: [], labels: byDefault.labels }];
  }
  if (name === undefined) return undefined;
  const byName: Record<string, ServiceSpec> = {};
  for (const d of drafts) byName[d.spec.name] = d.spec;
  return { name, services: byName };
}

/** stackName picks the stack name: the caller's, else the file's `name`, else the folder's. */
function stackName(ctx: LoadContext, option: string | undefined, entry: Entry | undefined): string | undefined {
  const fromFile = entry === undefined || isNull(entry.value) ? undefined : readString(ctx, entry.value, entry.path);
  if (option !== undefined) {
    if (NAME_RE.test(option)) return option;
    ctx.error(NOWHERE, '', `invalid stack name ${quote(option)} (${NAME_FORM})`);
    return undefined;
  }
  if (entry !== undefined && fromFile !== undefined) {
    if (NAME_RE.test(fromFile)) return fromFile;
    ctx.error(entry.value, entry.path, `invalid stack name ${quote(fromFile)} (${NAME_FORM})`);
    return undefined;
  }
  const derived = defaultStackName(ctx.file);
  if (NAME_RE.test(derived)) return derived;
  ctx.error(NOWHERE, '', `no stack name: the folder of ${quote(ctx.file)} gives none (${NAME_FORM}); set name in the file or pass a stack name`);
  return undefined;
}

/**
 * readServices reads the `services` mapping, required unless the file
 * declares networks or volumes (`declared` is the first of those keys): such
 * a file is a valid stack that runs nothing, as Compose allows.
 */
function readServices(ctx: LoadContext, entry: Entry | undefined, declared: Entry | undefined): ServiceDraft[] {
  if (entry === undefined) {
    if (declared === undefined) ctx.error({ line: 1, col: 1 }, 'services', 'required (a mapping of service names to services)');
    else ctx.warn(declared.keyNode, declared.path, `no services: the stack runs nothing (its ${declared.key} are made on a node when a service there uses them)`);
    return [];
  }
  if (!isMap(entry.value)) {
    ctx.error(isNull(entry.value) ? entry.keyNode : entry.value, entry.path, `expected a mapping of service names to services, got ${describe(entry.value)}`);
    return [];
  }
  const services = entriesOf(ctx, entry.value, entry.path);
  if (services.length === 0 && ctx.inactiveServices.size === 0) ctx.warn(entry.keyNode, entry.path, 'no services (the stack runs nothing)');
  if (services.length > MAX_SERVICES_PER_STACK) {
    ctx.error(entry.keyNode, entry.path, `${services.length} services (at most ${MAX_SERVICES_PER_STACK} per stack; split the stack)`);
    return [];
  }
  const drafts: ServiceDraft[] = [];
  const runsAs = new Map<string, string>();
  for (const s of services) {
    const name = ctx.serviceName(s.key);
    const other = runsAs.get(name);
    if (!NAME_RE.test(name)) ctx.error(s.keyNode, s.path, `invalid service name ${quote(s.key)} (it needs a letter or digit)`);
    else if (other !== undefined) ctx.error(s.keyNode, s.path, `services ${quote(other)} and ${quote(s.key)} both run as ${quote(name)} (names are case-insensitive on the engines and in DNS, and "." is "-"); rename one`);
    // A dot cannot stay: `a.b` would read as service a of stack b. A name differing only in case resolves as written (DNS is case-insensitive).
    else if (s.key.includes('.')) ctx.warn(s.keyNode, s.path, `runs as ${quote(name)}: a service's DNS name cannot hold "." (it would read as service.stack); reach it as ${quote(name)}`);
    runsAs.set(name, s.key);
    const draft = normalizeService(ctx, s);
    if (draft !== undefined) drafts.push(draft);
  }
  return drafts;
}

/**
 * checkPublishedPorts reports a published port used twice in the stack when
 * either use is in ingress mode, which listens on every node.
 */
function checkPublishedPorts(ctx: LoadContext, drafts: ServiceDraft[]): void {
  const seen = new Map<string, { path: string; mode: string }[]>();
  for (const d of drafts) {
    d.spec.ports.forEach((p, i) => {
      const origin = d.portOrigins[i];
      if (p.published === 0 || origin === undefined) return;
      const key = `${p.published}/${p.protocol}`;
      const uses = seen.get(key) ?? [];
      const clash = uses.find((u) => u.path !== origin.path && (u.mode === 'ingress' || p.mode === 'ingress'));
      if (clash !== undefined) ctx.error(origin.node, origin.path, `published port ${key} is already used by ${clash.path}`);
      uses.push({ path: origin.path, mode: p.mode });
      seen.set(key, uses);
    });
  }
}
