/**
 * Compose's merge of override files (`-c a.yml -c b.yml`) and of `extends`:
 * mappings merge key by key, scalars are replaced, and lists follow the
 * Compose Specification's merge rules: environment-like keys merge by key,
 * command-like keys are replaced, mounts merge by target, other lists are
 * appended without duplicates. A value tagged `!reset` removes the key
 * (an override's way to unset what the base sets); one tagged `!override`
 * replaces the base's value whole instead of merging with it.
 */
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { LoadContext, ValueNode } from './context.js';
import { scalarText } from './nodes.js';

/** KEYED are the service keys whose list form (`KEY=VALUE`) merges by key like a mapping. */
const KEYED = new Set(['environment', 'labels', 'extra_hosts', 'sysctls', 'annotations', 'args', 'ulimits']);
/** REPLACED are the service keys an override replaces as a whole. */
const REPLACED = new Set(['command', 'entrypoint', 'test', 'dns_search', 'dns_opt']);
/** BY_TARGET are the service keys whose items an override replaces by their target. */
const BY_TARGET = new Set(['volumes', 'secrets', 'configs']);
/** NAMED are the service keys written as a list of names or as a mapping by name. */
const NAMED = new Set(['depends_on', 'networks']);

/** COMPOSE_TAGS are the YAML tags of the Compose Specification's merge rules. */
export const COMPOSE_TAGS = new Set(['!reset', '!override']);

function tagOf(node: unknown): string | undefined {
  return typeof node === 'object' && node !== null && 'tag' in node && typeof node.tag === 'string' ? node.tag : undefined;
}

/** dropResets removes, in place, every mapping key whose value is tagged `!reset`, and every list item so tagged. */
export function dropResets(node: unknown): void {
  if (isMap(node)) {
    node.items = node.items.filter((pair) => tagOf(pair.value) !== '!reset');
    for (const pair of node.items) dropResets(pair.value);
  } else if (isSeq(node)) {
    node.items = node.items.filter((item) => tagOf(item) !== '!reset');
    for (const item of node.items) dropResets(item);
  }
}

/** mergeOverride merges an override mapping onto a base one; the result shares the nodes of both. */
export function mergeOverride(ctx: LoadContext, base: ValueNode | undefined, over: ValueNode | undefined, key = ''): ValueNode | undefined {
  if (over === undefined) return base;
  if (base === undefined || isNullScalar(base)) return over;
  if (isScalar(over) || isScalar(base)) return over;
  if (KEYED.has(key) && (isSeq(base) || isSeq(over))) {
    if (isSeq(base) && isSeq(over)) return mergeKeyedLists(ctx, base, over, key);
    return mergeMaps(ctx, asMap(ctx, base, key), asMap(ctx, over, key));
  }
  if (NAMED.has(key) && (isMap(base) || isMap(over))) {
    return mergeMaps(ctx, asMap(ctx, base, key), asMap(ctx, over, key));
  }
  if (isMap(base) && isMap(over)) return mergeMaps(ctx, base, over);
  if (isSeq(base) && isSeq(over)) {
    if (REPLACED.has(key)) return over;
    return appendUnique(ctx, base, over, BY_TARGET.has(key) ? targetOf : (n) => textOf(n));
  }
  return over;
}

function isNullScalar(node: ValueNode): boolean {
  return isScalar(node) && (node.value === null || node.value === undefined);
}

function keyText(pair: Pair): string | undefined {
  return isScalar(pair.key) ? scalarText(pair.key) : undefined;
}

function mergeMaps(ctx: LoadContext, base: YAMLMap, over: YAMLMap): YAMLMap {
  const out = ctx.derive(new YAMLMap(), base);
  const index = new Map<string, number>();
  for (const pair of base.items) {
    const k = keyText(pair);
    if (k !== undefined) index.set(k, out.items.length);
    out.items.push(pair);
  }
  const reset = new Set<number>();
  for (const pair of over.items) {
    const k = keyText(pair);
    const at = k === undefined ? undefined : index.get(k);
    const tag = tagOf(pair.value);
    if (at === undefined || k === undefined) {
      if (tag !== '!reset') out.items.push(pair);
      continue;
    }
    if (tag === '!reset') reset.add(at);
    else if (tag === '!override') out.items[at] = pair;
    else {
      const old = out.items[at]!;
      const merged = mergeOverride(ctx, ctx.resolve(old.value), ctx.resolve(pair.value), k);
      out.items[at] = new Pair(pair.key, merged ?? pair.value);
    }
  }
  if (reset.size > 0) out.items = out.items.filter((_, i) => !reset.has(i));
  return out;
}

/** splitKeyed splits `KEY=VALUE` (or `host:ip` in extra_hosts) into key and value. */
function splitKeyed(text: string, key: string): [string, string | undefined] {
  let at = text.indexOf('=');
  if (at < 0 && key === 'extra_hosts') at = text.indexOf(':');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function mergeKeyedLists(ctx: LoadContext, base: YAMLSeq, over: YAMLSeq, key: string): YAMLSeq {
  const keyOf = (item: unknown): string => {
    const text = scalarText(ctx.resolve(item));
    return text === undefined ? `\0${String(item)}` : splitKeyed(text, key)[0];
  };
  const overridden = new Set(over.items.map(keyOf));
  const out = ctx.derive(new YAMLSeq(), base);
  out.items.push(...base.items.filter((item) => !overridden.has(keyOf(item))), ...over.items);
  return out;
}

/** asMap turns the list form of a keyed or named key into its mapping form, keeping positions. */
function asMap(ctx: LoadContext, node: YAMLMap | YAMLSeq, key: string): YAMLMap {
  if (isMap(node)) return node;
  const map = ctx.derive(new YAMLMap(), node);
  for (const raw of node.items) {
    const item = ctx.resolve(raw);
    const text = scalarText(item);
    if (text === undefined) continue;
    const [k, v] = NAMED.has(key) ? [text, undefined] : splitKeyed(text, key);
    map.items.push(new Pair(ctx.derive(new Scalar(k), item), v === undefined ? null : ctx.derive(new Scalar(v), item)));
  }
  return map;
}

function textOf(node: unknown): string {
  if (isScalar(node)) return `s:${scalarText(node) ?? ''}`;
  return `o:${JSON.stringify(node)}`;
}

/** targetOf identifies a mount: `src:dst[:mode]` and `{target}` by the target, a secret by its name. */
function targetOf(node: unknown): string {
  if (isScalar(node)) {
    const parts = (scalarText(node) ?? '').split(':');
    return `t:${parts.length > 1 ? parts[1] : parts[0]}`;
  }
  if (isMap(node)) {
    const target = node.get('target', true);
    const source = node.get('source', true);
    if (isScalar(target)) return `t:${scalarText(target) ?? ''}`;
    if (isScalar(source)) return `t:${scalarText(source) ?? ''}`;
  }
  return textOf(node);
}

function appendUnique(ctx: LoadContext, base: YAMLSeq, over: YAMLSeq, id: (node: unknown) => string): YAMLSeq {
  const overIds = new Set(over.items.map((item) => id(ctx.resolve(item))));
  const out = ctx.derive(new YAMLSeq(), base);
  out.items.push(...base.items.filter((item) => !overIds.has(id(ctx.resolve(item)))), ...over.items);
  return out;
}
