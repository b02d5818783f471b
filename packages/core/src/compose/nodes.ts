/**
 * Readers of YAML nodes: each reads one kind of value at a path and reports a
 * positioned problem instead of throwing. Scalars may be strings after
 * interpolation (`replicas: ${N}`), so numbers and booleans are also read from
 * their text, as Compose does.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Scalar, YAMLMap } from 'yaml';
import type { LoadContext, ValueNode } from './context.js';
import { parseDuration } from './parseDuration.js';

/** joinPath appends a mapping key to a YAML path. */
export function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** indexPath appends a list index to a YAML path. */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** isNull tells whether a value is absent or a YAML null (`key:` with nothing after it). */
export function isNull(node: ValueNode | undefined): boolean {
  return node === undefined || (isScalar(node) && (node.value === null || node.value === undefined));
}

/** describe names the kind of a value for messages: "a mapping", "a list", "a string", ... */
export function describe(node: ValueNode | undefined): string {
  if (isNull(node)) return 'null';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  const value = (node as Scalar).value;
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return 'a string';
}

/** scalarText is the text of a string, number or boolean scalar (numbers as written: `0755` stays "0755"). */
export function scalarText(node: ValueNode | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  const { value } = node;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return node.type === 'PLAIN' && typeof node.source === 'string' && node.source !== '' ? node.source : String(value);
  }
  return undefined;
}

/** parseOctalMode reads a file mode written in octal digits (`0440`, `1777`, `0o700`), as Compose reads modes; undefined if it is not one. */
export function parseOctalMode(text: string): number | undefined {
  // YAML reads 0440 as the number 440 in base 10 as written: the digits are taken as octal.
  const n = /^0o?[0-7]+$|^[0-7]+$/.test(text) ? parseInt(text.replace(/^0o/, ''), 8) : Number.NaN;
  return Number.isInteger(n) && n <= 0o7777 ? n : undefined;
}

/** quote renders a value for a message. */
export function quote(text: string): string {
  return JSON.stringify(text);
}

/** Entry is one key of a mapping, merge keys (`<<: *defaults`) already applied. */
export interface Entry {
  key: string;
  keyNode: Scalar;
  value: ValueNode | undefined;
  path: string;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || key.value === '<<');
}

/**
 * entriesOf lists the keys of a mapping in order. Keys given in the mapping
 * win over merged ones; among merged mappings the first wins, as in YAML.
 */
export function entriesOf(ctx: LoadContext, map: YAMLMap, path: string, seen: Set<YAMLMap> = new Set()): Entry[] {
  if (seen.has(map)) return [];
  seen.add(map);
  const own: Entry[] = [];
  const merged: Entry[] = [];
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) {
      const source = ctx.resolve(pair.value);
      const sources = isSeq(source) ? source.items.map((item) => ctx.resolve(item)) : [source];
      for (const s of sources) {
        if (isMap(s)) merged.push(...entriesOf(ctx, s, path, seen));
        else ctx.error(pair.value ?? pair, joinPath(path, '<<'), `expected a mapping or a list of mappings to merge, got ${describe(s)}`);
      }
      continue;
    }
    const key = isScalar(pair.key) ? scalarText(pair.key as Scalar) : undefined;
    if (key === undefined) {
      ctx.error(pair.key ?? pair, path, 'mapping keys must be strings');
      continue;
    }
    own.push({ key, keyNode: pair.key as Scalar, value: ctx.resolve(pair.value), path: joinPath(path, key) });
  }
  const ownKeys = new Set(own.map((e) => e.key));
  const result = [...own];
  for (const e of merged) {
    if (ownKeys.has(e.key)) continue;
    ownKeys.add(e.key);
    result.push(e);
  }
  return result;
}

/** readMap reads a mapping, or reports what was found instead. */
export function readMap(ctx: LoadContext, node: ValueNode | undefined, path: string): YAMLMap | undefined {
  if (isMap(node)) return node;
  ctx.error(node, path, `expected a mapping, got ${describe(node)}`);
  return undefined;
}

/** ReadStringOptions tune readString. */
export interface ReadStringOptions {
  /** coerce accepts numbers and booleans as their text (`user: 1000`). @default false */
  coerce?: boolean;
  /** expected describes a valid value for the message. @default "a string" */
  expected?: string;
}

/** readString reads a string scalar. */
export function readString(ctx: LoadContext, node: ValueNode | undefined, path: string, options: ReadStringOptions = {}): string | undefined {
  if (isScalar(node) && typeof node.value === 'string') return node.value;
  if (options.coerce) {
    const text = scalarText(node);
    if (text !== undefined) return text;
  }
  ctx.error(node, path, `expected ${options.expected ?? 'a string'}, got ${describe(node)}`);
  return undefined;
}

/** IntegerRule says which integers a field accepts. */
export interface IntegerRule {
  /** name of the field in the message: `invalid replicas "x"`. */
  name: string;
  min: number;
  max?: number;
  /** expected describes a valid value: "a non-negative integer", "1-65535". */
  expected: string;
}

/** parseInteger reads an integer from a number or its text; undefined when it is not one within the rule. */
export function parseInteger(text: string, rule: Pick<IntegerRule, 'min' | 'max'>): number | undefined {
  if (!/^[+-]?\d+$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  if (!Number.isSafeInteger(n) || n < rule.min || (rule.max !== undefined && n > rule.max)) return undefined;
  return n;
}

/** readInteger reads an integer, given as a number or as text (after interpolation). */
export function readInteger(ctx: LoadContext, node: ValueNode | undefined, path: string, rule: IntegerRule): number | undefined {
  const text = scalarText(node);
  const n = text === undefined ? undefined : parseInteger(text, rule);
  if (n !== undefined) return n;
  ctx.error(node, path, `invalid ${rule.name} ${text === undefined ? `(${describe(node)})` : quote(text)} (${rule.expected})`);
  return undefined;
}

/** readBoolean reads true or false, also from text after interpolation. */
export function readBoolean(ctx: LoadContext, node: ValueNode | undefined, path: string): boolean | undefined {
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  const text = scalarText(node)?.toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  ctx.error(node, path, `expected true or false, got ${text === undefined ? describe(node) : quote(text)}`);
  return undefined;
}

/** readDuration reads a duration such as "5s" or "1m30s" as milliseconds. */
export function readDuration(ctx: LoadContext, node: ValueNode | undefined, path: string): number | undefined {
  const text = scalarText(node);
  const ms = text === undefined ? undefined : parseDuration(text);
  if (ms !== undefined) return ms;
  ctx.error(node, path, `invalid duration ${text === undefined ? `(${describe(node)})` : quote(text)} (like "5s", "1m30s" or "500ms")`);
  return undefined;
}

/** readStringList reads a list of strings; numbers are taken as their text. */
export function readStringList(ctx: LoadContext, node: ValueNode | undefined, path: string): string[] | undefined {
  if (!isSeq(node)) {
    ctx.error(node, path, `expected a list of strings, got ${describe(node)}`);
    return undefined;
  }
  const out: string[] = [];
  let ok = true;
  node.items.forEach((item, i) => {
    const value = ctx.resolve(item);
    const text = isScalar(value) && typeof value.value !== 'boolean' ? scalarText(value) : undefined;
    if (text === undefined) {
      ctx.error(value ?? item, indexPath(path, i), `expected a string, got ${describe(value)}`);
      ok = false;
    } else out.push(text);
  });
  return ok ? out : undefined;
}

/** warnUnsupported reports a key that is read but not acted on yet. */
export function warnUnsupported(ctx: LoadContext, entry: Entry, hint = ''): void {
  ctx.warn(entry.keyNode, entry.path, `not supported yet, ignored${hint === '' ? '' : ` (${hint})`}`);
}
