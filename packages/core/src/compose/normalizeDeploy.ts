import { isSeq } from 'yaml';
import type { LoadContext } from './context.js';
import type { Entry } from './nodes.js';
import { describe, entriesOf, indexPath, isNull, quote, readInteger, readMap, readString, scalarText, warnUnsupported } from './nodes.js';
import { formatConstraint, parseConstraint } from '../constraints.js';
import { normalizeRestartPolicy } from './normalizeRestart.js';
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
    if (n !== undefined) draft.spec.replicas = n;
    draft.replicasEntry = e;
  }],
  ['restart_policy', (ctx, e, draft) => {
    const policy = normalizeRestartPolicy(ctx, e.value, e.path);
    if (policy !== undefined) draft.deployRestart = policy;
  }],
  ['placement', normalizePlacement],
  ['labels', (ctx, e) => warnUnsupported(ctx, e, 'service labels; labels sets container labels')],
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
