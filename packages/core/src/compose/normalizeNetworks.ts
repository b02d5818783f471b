/**
 * The service keys `networks` (a list of names, or a mapping with aliases),
 * `links` (kept as name aliases: services reach each other by name anyway)
 * `container_name` (ignored: a service has several containers) and
 * `network_mode` (ignored, or refused when it names another container).
 */
import { isMap, isSeq } from 'yaml';
import type { NetworkAttachment } from '../serviceOptions.js';
import type { LoadContext } from './context.js';
import { entriesOf, isNull, quote, readString, readStringList, scalarText } from './nodes.js';
import type { KeyNormalizer, ServiceDraft } from './ServiceDraft.js';

function attach(ctx: LoadContext, at: unknown, path: string, name: string, aliases: string[]): NetworkAttachment | undefined {
  const declared = ctx.resources.networks.get(name);
  if (declared === undefined) {
    ctx.error(at, path, `network ${quote(name)} is not declared in the top-level networks`);
    return undefined;
  }
  return { name: declared.engineName, aliases, ...(declared.external ? { external: true } : {}), ...(declared.labels && !declared.external ? { labels: declared.labels } : {}) };
}

/** normalizeNetworks reads the service key `networks`. */
export const normalizeNetworks: KeyNormalizer = (ctx, e, draft) => {
  const out: NetworkAttachment[] = [];
  if (isSeq(e.value)) {
    const seq = e.value;
    const names = readStringList(ctx, seq, e.path) ?? [];
    names.forEach((n, i) => {
      const a = attach(ctx, ctx.resolve(seq.items[i]), `${e.path}[${i}]`, n, []);
      if (a !== undefined) out.push(a);
    });
  } else if (isMap(e.value)) {
    for (const k of entriesOf(ctx, e.value, e.path)) {
      let aliases: string[] = [];
      if (!isNull(k.value) && isMap(k.value)) {
        for (const o of entriesOf(ctx, k.value, k.path)) {
          if (o.key === 'aliases') aliases = readStringList(ctx, o.value, o.path) ?? [];
          else if (!o.key.startsWith('x-')) ctx.warn(o.keyNode, o.path, 'not supported yet, ignored');
        }
      }
      const a = attach(ctx, k.keyNode, k.path, k.key, aliases);
      if (a !== undefined) out.push(a);
    }
  }
  draft.spec.networks = out;
};

/** normalizeLinks reads `links`: "service" or "service:alias"; the alias is added to the linked service. */
export const normalizeLinks: KeyNormalizer = (ctx, e, draft) => {
  const links = readStringList(ctx, e.value, e.path);
  if (links === undefined) return;
  ctx.warn(e.keyNode, e.path, 'links are not needed (services reach each other by name); aliases are added to the linked services');
  links.forEach((text, i) => {
    const [service = '', alias] = text.split(':');
    const at = ctx.resolve(isSeq(e.value) ? e.value.items[i] : e.value);
    if (!ctx.resources.services.has(service)) ctx.error(at, `${e.path}[${i}]`, `links to ${quote(service)}, which is not a service of the stack`);
    else if (alias !== undefined && alias !== service) draft.links.push({ service: ctx.serviceName(service), alias });
  });
};

/**
 * networkMode explains what happens instead of `network_mode`: the tasks
 * join the stack's networks, which reach across hosts; sharing another
 * service's or container's network namespace cannot work when the two run on
 * different hosts, so it is an error.
 */
export const networkMode: KeyNormalizer = (ctx, e) => {
  const mode = readString(ctx, e.value, e.path);
  if (mode === undefined) return;
  if (/^(service|container):/.test(mode)) {
    ctx.error(e.value, e.path, `${quote(mode)} is not supported: the tasks of two services may run on different hosts, which share no network namespace (put both processes in one service, or let them talk over the stack network by service name)`);
    return;
  }
  const instead = mode === 'host'
    ? 'tasks join the stack\'s networks, so that service names, virtual IPs and published ports reach them across hosts; to listen on the node\'s own address, publish the port with mode: host'
    : 'tasks join the stack\'s networks (networks: lists them), so that service names reach them across hosts';
  ctx.warn(e.keyNode, e.path, `ignored: ${instead}`);
};

/** warnContainerName explains why `container_name` is ignored. */
export const warnContainerName: KeyNormalizer = (ctx, e, draft) => {
  const name = scalarText(e.value);
  if (name !== undefined && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) draft.containerName = name;
  ctx.warn(e.keyNode, e.path, `ignored: a service may run several containers, named <stack>_<service>.<slot>.<task>; others reach it by its service name${scalarText(e.value) === undefined ? '' : ` (${quote(scalarText(e.value) ?? '')} becomes a name alias)`}`);
};

/**
 * applyLinks adds the aliases that links give to the services linked to, on
 * every network they join; container names become aliases of their service.
 */
export function applyLinks(drafts: ServiceDraft[], containerNames: Map<string, string>, defaultNetwork: string): void {
  const byName = new Map(drafts.map((d) => [d.spec.name, d]));
  const addAlias = (service: string, alias: string): void => {
    const target = byName.get(service);
    if (target === undefined) return;
    target.spec.networks ??= [{ name: defaultNetwork, aliases: [] }];
    for (const n of target.spec.networks) if (!n.aliases.includes(alias)) n.aliases.push(alias);
  };
  for (const d of drafts) for (const l of d.links) addAlias(l.service, l.alias);
  for (const [service, name] of containerNames) addAlias(service, name);
}
