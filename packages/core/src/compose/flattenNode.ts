import { isMap, isSeq, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { LoadContext, ValueNode } from './context.js';
import { entriesOf, indexPath } from './nodes.js';

/**
 * flattenNode gives a tree without aliases or merge keys (`<<: *defaults`),
 * so that files can be merged and services extended key by key. Scalars are
 * the very nodes of the file and new mappings and lists report problems where
 * the originals were written. An alias that contains itself is an error.
 */
export function flattenNode(ctx: LoadContext, node: unknown, path: string, ancestors: Set<unknown> = new Set()): ValueNode | undefined {
  const value = ctx.resolve(node);
  if (value === undefined) return undefined;
  if (ancestors.has(value)) {
    ctx.error(node, path, 'an alias refers to a node that contains it');
    return undefined;
  }
  if (isMap(value)) {
    ancestors.add(value);
    const map = ctx.derive(new YAMLMap(), value);
    map.tag = value.tag; // `!reset` and `!override` are read when files are merged
    for (const e of entriesOf(ctx, value, path)) {
      map.items.push(new Pair(e.keyNode, flattenNode(ctx, e.value, e.path, ancestors) ?? null));
    }
    ancestors.delete(value);
    return map;
  }
  if (isSeq(value)) {
    ancestors.add(value);
    const seq = ctx.derive(new YAMLSeq(), value);
    seq.tag = value.tag;
    value.items.forEach((item, i) => seq.items.push(flattenNode(ctx, item, indexPath(path, i), ancestors) ?? null));
    ancestors.delete(value);
    return seq;
  }
  return value;
}
