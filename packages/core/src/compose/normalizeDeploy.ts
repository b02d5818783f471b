import { isMap, isSeq } from 'yaml';
import type { LoadContext, ValueNode } from './context.js';
import type { Entry } from './nodes.js';
import { describe, entriesOf, indexPath, isNull, quote, readInteger, readMap, readString, scalarText, warnUnsupported } from './nodes.js';
import { formatConstraint, parseConstraint } from '../constraints.js';
import { normalizeRestartPolicy } from './normalizeRestart.js';
import { MAX_REPLICAS } from '../limits.js';
import { readBytes } from './normalizeHostKeys.js';
import { normalizeKeyValues } from './normalizeKeyValues.js';
import type { Resources } from '../serviceOptions.js';
import type { KeyNormalizer, ServiceDraft } from './ServiceDraft.js';

const CONSTRAINT_FORM = 'node.id, node.hostname, node.role or node.labels.KEY, then == or !=, then a value';

const DEPLOY_KEYS = new Map<string, KeyNormalizer>([
  ['mode', (ctx, e, draft) => {
    const text = readString(ctx, e.value, e.path, { expected: 'replicated or global' });
    if (text === 'replicated' || text === 'global') draft.spec.mode = text;
    else if (text !== undefined) ctx.error(e.value, e.path, `invalid mode ${quote(text)} (replicated or global)`);
  }],
  ['replicas', (ctx, e, draft) => {
    const n = readInteger(ctx, e.value, e.path, { name: 'replicas', min: 0, expected: 'a non-negative integer' });
    if (n !== undefined && n > MAX_REPLICAS) ctx.error(e.value, e.path, `invalid replicas ${quote(String(n))} (at most ${MAX_REPLICAS}, as for cluster scale)`);
    else if (n !== undefined) draft.spec.replicas = n;
    draft.replicasEntry = e;
  }],
  ['restart_policy', (ctx, e, draft) => {
    const policy = normalizeRestartPolicy(ctx, e.value, e.path);
    if (policy !== undefined) draft.deployRestart = policy;
  }],
  ['placement', normalizePlacement],
  ['labels', (ctx, e, draft) => {
    draft.spec.serviceLabels = normalizeKeyValues(ctx, e.value, e.path, () => '');
  }],
  ['resources', normalizeResourceBounds],
  ['endpoint_mode', (ctx, e, draft) => {
    const text = readString(ctx, e.value, e.path, { expected: 'vip or dnsrr' });
    if (text === 'dnsrr') draft.spec.endpointMode = 'dnsrr';
    else if (text !== undefined && text !== 'vip') ctx.error(e.value, e.path, `invalid endpoint_mode ${quote(text)} (vip or dnsrr)`);
  }],
]);

/**
 * normalizeDeploy reads the `deploy` section: mode, replicas, restart_policy
 * and placement.constraints; other keys are reported as not supported yet.
 */
export function normalizeDeploy(ctx: LoadContext, entry: Entry, draft: ServiceDraft): void {
  const map = readMap(ctx, entry.value, entry.path);
  if (map === undefined) return;
  for (const e of entriesOf(ctx, map, entry.path)) {
    if (isNull(e.value)) continue;
    const normalize = DEPLOY_KEYS.get(e.key);
    if (normalize) normalize(ctx, e, draft);
    else warnUnsupported(ctx, e);
  }
}

/** normalizePlacement reads `deploy.placement`: constraints now, preferences later. */
function normalizePlacement(ctx: LoadContext, entry: Entry, draft: ServiceDraft): void {
  const map = readMap(ctx, entry.value, entry.path);
  if (map === undefined) return;
  for (const e of entriesOf(ctx, map, entry.path)) {
    if (e.key === 'max_replicas_per_node') {
      const n = readInteger(ctx, e.value, e.path, { name: 'max_replicas_per_node', min: 0, expected: 'a non-negative integer' });
      if (n !== undefined && n > 0) draft.spec.maxReplicasPerNode = n;
      continue;
    }
    if (e.key === 'preferences') {
      readPreferences(ctx, e, draft);
      continue;
    }
    if (e.key !== 'constraints') {
      warnUnsupported(ctx, e);
      continue;
    }
    if (!isSeq(e.value)) {
      ctx.error(e.value, e.path, `expected a list of constraints, got ${describe(e.value)}`);
      continue;
    }
    e.value.items.forEach((raw, i) => {
      const item = ctx.resolve(raw);
      const path = indexPath(e.path, i);
      const text = scalarText(item);
      if (text === undefined) {
        ctx.error(item ?? raw, path, `expected a constraint such as "node.role==manager", got ${describe(item)}`);
        return;
      }
      // One grammar for the loader and the scheduler: constraints.ts parses both.
      const c = parseConstraint(text);
      if ('error' in c) ctx.error(item, path, `invalid constraint ${quote(text)} (${CONSTRAINT_FORM})`);
      else if (c.key === 'node.role' && !['manager', 'worker'].includes(c.value.toLowerCase())) {
        ctx.error(item, path, `invalid constraint ${quote(text)} (node.role is compared with manager or worker)`);
      } else draft.spec.constraints.push(formatConstraint(c));
    });
  }
}

/** readPreferences reads `placement.preferences`: a list of {spread: node.labels.KEY | node.hostname | ...}. */
function readPreferences(ctx: LoadContext, entry: Entry, draft: ServiceDraft): void {
  if (!isSeq(entry.value)) return;
  const spread: string[] = [];
  entry.value.items.forEach((raw, i) => {
    const item = ctx.resolve(raw);
    const path = indexPath(entry.path, i);
    if (!isMap(item)) return;
    for (const k of entriesOf(ctx, item, path)) {
      const text = k.key === 'spread' ? scalarText(k.value) : undefined;
      if (text !== undefined && /^node\.(labels\.[^\s]+|id|hostname|role)$/.test(text)) spread.push(text);
      else ctx.error(k.value ?? k.keyNode, k.path, `invalid preference ${quote(text ?? k.key)} (spread: node.labels.KEY, node.hostname, node.id or node.role)`);
    }
  });
  draft.spec.spread = spread;
}

/** readCpus reads a CPU count such as 0.5 or "1.5" as nano CPUs. */
export function readCpus(ctx: LoadContext, node: ValueNode | undefined, path: string): number | undefined {
  const text = scalarText(node);
  const n = text === undefined ? Number.NaN : Number(text);
  if (Number.isFinite(n) && n >= 0 && text?.trim() !== '') return Math.round(n * 1e9);
  ctx.error(node, path, `invalid cpus ${text === undefined ? `(${describe(node)})` : quote(text)} (a number of CPUs such as 0.5)`);
  return undefined;
}

function readBounds(ctx: LoadContext, entry: Entry, limits: boolean): Resources | undefined {
  if (!isMap(entry.value)) return undefined;
  const r: Resources = { nanoCpus: 0, memoryBytes: 0 };
  for (const e of entriesOf(ctx, entry.value, entry.path)) {
    if (isNull(e.value)) continue;
    if (e.key === 'cpus') r.nanoCpus = readCpus(ctx, e.value, e.path) ?? 0;
    else if (e.key === 'memory') r.memoryBytes = readBytes(ctx, e.value, e.path) ?? 0;
    else if (e.key === 'pids' && limits) r.pids = readInteger(ctx, e.value, e.path, { name: 'pids', min: 1, expected: 'a positive integer' }) ?? 0;
    else warnUnsupported(ctx, e);
  }
  return r;
}

/** normalizeResourceBounds reads `deploy.resources`: limits bound the container, reservations guide placement. */
function normalizeResourceBounds(ctx: LoadContext, entry: Entry, draft: ServiceDraft): void {
  if (!isMap(entry.value)) return;
  for (const e of entriesOf(ctx, entry.value, entry.path)) {
    if (e.key === 'limits') {
      const r = readBounds(ctx, e, true);
      if (r !== undefined) draft.spec.limits = r;
    } else if (e.key === 'reservations') {
      const r = readBounds(ctx, e, false);
      if (r !== undefined) draft.spec.reservations = r;
    } else warnUnsupported(ctx, e);
  }
  const { limits, reservations } = draft.spec;
  if (limits && reservations && limits.memoryBytes > 0 && reservations.memoryBytes > limits.memoryBytes) {
    ctx.error(entry.keyNode, entry.path, 'reservations.memory is above limits.memory');
  }
}
