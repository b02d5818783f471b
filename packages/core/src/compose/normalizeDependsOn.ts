/**
 * The service key `depends_on`: a list of services (condition
 * service_started) or a mapping with condition, required and restart.
 */
import { isMap, isSeq } from 'yaml';
import type { Dependency, DependencyCondition } from '../serviceOptions.js';
import type { LoadContext } from './context.js';
import { entriesOf, isNull, quote, readBoolean, readString, readStringList } from './nodes.js';
import type { KeyNormalizer, ServiceDraft } from './ServiceDraft.js';

const CONDITIONS: DependencyCondition[] = ['service_started', 'service_healthy', 'service_completed_successfully'];

function check(ctx: LoadContext, draft: ServiceDraft, at: unknown, path: string, d: Dependency): Dependency | undefined {
  if (ctx.serviceName(d.service) === draft.spec.name) {
    ctx.error(at, path, `a service cannot depend on itself`);
    return undefined;
  }
  if (!ctx.resources.services.has(d.service)) {
    const why = ctx.inactiveServices.has(d.service) ? 'is not active (none of its profiles is)' : 'is not a service of the stack';
    if (d.required) ctx.error(at, path, `depends on ${quote(d.service)}, which ${why}`);
    else ctx.warn(at, path, `optional dependency ${quote(d.service)} ${why}, ignored`);
    return undefined;
  }
  return { ...d, service: ctx.serviceName(d.service) };
}

/** normalizeDependsOn reads `depends_on` into the spec's dependsOn. */
export const normalizeDependsOn: KeyNormalizer = (ctx, e, draft) => {
  const out: Dependency[] = [];
  if (isSeq(e.value)) {
    const seq = e.value;
    (readStringList(ctx, seq, e.path) ?? []).forEach((service, i) => {
      const d = check(ctx, draft, ctx.resolve(seq.items[i]), `${e.path}[${i}]`, { service, condition: 'service_started', required: true, restart: false });
      if (d !== undefined) out.push(d);
    });
  } else if (isMap(e.value)) {
    for (const k of entriesOf(ctx, e.value, e.path)) {
      const d: Dependency = { service: k.key, condition: 'service_started', required: true, restart: false };
      if (!isNull(k.value) && isMap(k.value)) {
        for (const o of entriesOf(ctx, k.value, k.path)) {
          if (o.key === 'condition') {
            const c = readString(ctx, o.value, o.path);
            if (c !== undefined && (CONDITIONS as string[]).includes(c)) d.condition = c as DependencyCondition;
            else if (c !== undefined) ctx.error(o.value, o.path, `invalid condition ${quote(c)} (${CONDITIONS.join(', ')})`);
          } else if (o.key === 'required') d.required = readBoolean(ctx, o.value, o.path) ?? true;
          else if (o.key === 'restart') d.restart = readBoolean(ctx, o.value, o.path) ?? false;
        }
      }
      const checked = check(ctx, draft, k.keyNode, k.path, d);
      if (checked !== undefined) out.push(checked);
    }
  }
  draft.spec.dependsOn = out;
  draft.dependsOnEntry = e;
};

/** checkDependencyCycles reports services that depend on each other in a circle, at the first one's depends_on. */
export function checkDependencyCycles(ctx: LoadContext, drafts: ServiceDraft[]): void {
  const deps = new Map(drafts.map((d) => [d.spec.name, (d.spec.dependsOn ?? []).map((x) => x.service)]));
  const reported = new Set<string>();
  for (const d of drafts) {
    const walk = (name: string, chain: string[]): string[] | undefined => {
      if (chain.includes(name)) return [...chain.slice(chain.indexOf(name)), name];
      for (const next of deps.get(name) ?? []) {
        const cycle = walk(next, [...chain, name]);
        if (cycle !== undefined) return cycle;
      }
      return undefined;
    };
    const cycle = walk(d.spec.name, []);
    if (cycle === undefined || cycle[0] !== d.spec.name || cycle.some((c) => reported.has(c))) continue;
    for (const c of cycle) reported.add(c);
    const e = d.dependsOnEntry;
    ctx.error(e?.keyNode, e?.path ?? `services.${d.spec.name}`, `services depend on each other in a circle: ${cycle.join(' -> ')}`);
  }
}
