/**
 * Validation against the official Compose Specification JSON schema
 * (compose.schema.json, see SCHEMA.md), with every schema error mapped back to
 * the file, line, column and YAML path of the offending value.
 */
import type { ErrorObject } from 'ajv';
import { isMap, isScalar, isSeq } from 'yaml';
// The schema compiled ahead of time by scripts/gen-validator.mjs (npm run gen:validator).
import validate from '../../generated/composeValidator.js';
import type { LoadContext, ValueNode } from './context.js';
import { describe, indexPath, joinPath, quote, scalarText } from './nodes.js';

/** Where is what a JSON pointer of the validated value stands for in the files. */
interface Where {
  node: ValueNode | undefined;
  keyNode?: unknown;
  path: string;
}

/** toPlain turns a flattened tree into the JSON value the schema checks, noting where each pointer is. */
function toPlain(ctx: LoadContext, node: ValueNode | undefined, pointer: string, path: string, where: Map<string, Where>, keyNode?: unknown): unknown {
  where.set(pointer, { node, keyNode, path });
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? scalarText(pair.key) : undefined;
      if (key === undefined) continue;
      out[key] = toPlain(ctx, ctx.resolve(pair.value), `${pointer}/${escapePointer(key)}`, joinPath(path, key), where, pair.key);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item, i) => toPlain(ctx, ctx.resolve(item), `${pointer}/${i}`, indexPath(path, i), where));
  if (isScalar(node)) return node.value === undefined ? null : node.value;
  return null;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * validateSchema checks a whole (merged) Compose tree against the schema and
 * reports each problem once, at the deepest place that explains it: among the
 * alternatives a value may take (a port as a number, a string or a mapping),
 * the one of the value's own kind is the one reported.
 */
export function validateSchema(ctx: LoadContext, root: ValueNode): void {
  const where = new Map<string, Where>();
  const data = toPlain(ctx, root, '', '', where);
  if (validate(data)) return;
  for (const e of pickErrors(validate.errors ?? [])) report(ctx, e, where);
}

/** pickErrors drops the errors of alternatives that do not fit the value's kind, and wrappers explained deeper. */
export function pickErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  const hasDeeper = (path: string): boolean => errors.some((e) => e.instancePath.startsWith(`${path}/`));
  const out: ErrorObject[] = [];
  for (const [path, list] of byPath) {
    const wrappers = list.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if');
    const types = list.filter((e) => e.keyword === 'type');
    const others = list.filter((e) => !wrappers.includes(e) && !types.includes(e));
    const deeper = hasDeeper(path);
    // A type error says an alternative did not fit; another error here or deeper comes from the one that did.
    if (types.length > 0 && others.length === 0 && !deeper) out.push(mergeTypes(types));
    out.push(...others);
    const ambiguous = wrappers.find((w) => w.keyword === 'oneOf' && (w.params as { passingSchemas?: unknown }).passingSchemas != null);
    if (ambiguous !== undefined) out.push(ambiguous);
    else if (wrappers.length > 0 && types.length === 0 && others.length === 0 && !deeper) out.push(wrappers[0]!);
  }
  return out;
}

function mergeTypes(types: ErrorObject[]): ErrorObject {
  const names = new Set<string>();
  for (const t of types) for (const n of String((t.params as { type: string | string[] }).type).split(',')) names.add(n);
  return { ...types[0]!, params: { type: [...names] } };
}

const TYPE_NAMES: Record<string, string> = { string: 'a string', number: 'a number', integer: 'an integer', boolean: 'a boolean', object: 'a mapping', array: 'a list', null: 'null' };

function report(ctx: LoadContext, e: ErrorObject, where: Map<string, Where>): void {
  const w = where.get(e.instancePath) ?? { node: undefined, path: '' };
  const at = w.node ?? w.keyNode ?? { line: 1, col: 1 };
  const value = scalarText(w.node);
  const shown = value === undefined ? describe(w.node) : quote(value);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': {
      const expected = (p['type'] as string[]).map((t) => TYPE_NAMES[t] ?? t).join(' or ');
      ctx.error(at, w.path, `expected ${expected}, got ${describe(w.node)}${value === undefined ? '' : ` ${quote(value)}`}`);
      return;
    }
    case 'additionalProperties': {
      const key = String(p['additionalProperty']);
      const child = where.get(`${e.instancePath}/${escapePointer(key)}`);
      ctx.error(child?.keyNode ?? at, joinPath(w.path, key), `unknown key ${quote(key)} (not in the Compose Specification; "x-" keys are free)`);
      return;
    }
    case 'required':
      ctx.error(w.keyNode ?? at, w.path, `missing required key ${quote(String(p['missingProperty']))}`);
      return;
    case 'enum':
      ctx.error(at, w.path, `invalid value ${shown} (one of ${(p['allowedValues'] as unknown[]).map((v) => String(v)).join(', ')})`);
      return;
    case 'pattern':
      ctx.error(at, w.path, `invalid value ${shown} (must match ${String(p['pattern'])})`);
      return;
    case 'propertyNames':
      return; // reported with the key itself by the pattern error that follows
    case 'oneOf':
      ctx.error(at, w.path, (p['passingSchemas'] ?? null) !== null ? `ambiguous value ${shown} (it fits more than one form)` : `invalid value ${shown} (no form of the specification fits)`);
      return;
    case 'uniqueItems':
      ctx.error(at, w.path, `duplicate items at [${String(p['j'])}] and [${String(p['i'])}]`);
      return;
    default:
      ctx.error(at, w.path, `invalid value ${shown} (${e.message ?? e.keyword})`);
  }
}
