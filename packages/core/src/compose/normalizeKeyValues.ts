import { isMap, isScalar, isSeq } from 'yaml';
import type { LoadContext, ValueNode } from './context.js';
import { describe, entriesOf, indexPath, quote, scalarText } from './nodes.js';

/** MissingValue gives the value of a key written without one (`- KEY`, `KEY:`), or undefined to leave the key out. */
export type MissingValue = (key: string) => string | undefined;

/**
 * normalizeKeyValues reads the two forms Compose allows for `environment` and
 * `labels`: a list of "KEY=VALUE" / "KEY", or a mapping whose values are
 * strings, numbers or booleans (taken as written) or null.
 */
export function normalizeKeyValues(ctx: LoadContext, node: ValueNode | undefined, path: string, missing: MissingValue): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, value: string | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  if (isSeq(node)) {
    node.items.forEach((raw, i) => {
      const item = ctx.resolve(raw);
      const itemPath = indexPath(path, i);
      const text = isScalar(item) && typeof item.value === 'string' ? item.value : undefined;
      if (text === undefined) {
        ctx.error(item ?? raw, itemPath, `expected "KEY=VALUE" or "KEY", got ${describe(item)}`);
        return;
      }
      const eq = text.indexOf('=');
      const key = eq < 0 ? text : text.slice(0, eq);
      if (key.trim() === '' || /\s/.test(key)) {
        ctx.error(item, itemPath, `invalid entry ${quote(text)} ("KEY=VALUE" or "KEY", the key without blanks)`);
        return;
      }
      put(key, eq < 0 ? missing(key) : text.slice(eq + 1));
    });
    return out;
  }
  if (isMap(node)) {
    for (const e of entriesOf(ctx, node, path)) {
      if (e.key.trim() === '') {
        ctx.error(e.keyNode, e.path, 'empty key');
        continue;
      }
      if (e.value === undefined || (isScalar(e.value) && e.value.value === null)) {
        put(e.key, missing(e.key));
        continue;
      }
      const text = scalarText(e.value);
      if (text === undefined) ctx.error(e.value, e.path, `expected a string, number or boolean, got ${describe(e.value)}`);
      else put(e.key, text);
    }
    return out;
  }
  ctx.error(node, path, `expected a mapping or a list of "KEY=VALUE", got ${describe(node)}`);
  return out;
}
