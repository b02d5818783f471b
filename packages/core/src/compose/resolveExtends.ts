import { dirname, isAbsolute, join } from 'node:path/posix';
import { isMap, isScalar, LineCounter, type Pair, parseDocument, YAMLMap } from 'yaml';
import type { LoadContext, ValueNode } from './context.js';
import { MAX_YAML_ALIASES } from '../limits.js';
import { expandsTooMuch } from './expandsTooMuch.js';
import { flattenNode } from './flattenNode.js';
import { interpolateDocument } from './interpolate.js';
import { mergeOverride } from './mergeOverride.js';
import { joinPath, quote, scalarText } from './nodes.js';

/** pairOf finds the pair of a key in a mapping. */
export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && scalarText(p.key) === key);
}

/** without is a mapping without one key, keeping the position of the original. */
function without(ctx: LoadContext, map: YAMLMap, key: string): YAMLMap {
  const out = ctx.derive(new YAMLMap(), map);
  out.items.push(...map.items.filter((p) => !(isScalar(p.key) && scalarText(p.key) === key)));
  return out;
}

/** relativeTo resolves a path written in a file against that file's folder. */
export function relativeTo(ctx: LoadContext, at: unknown, path: string): string {
  return isAbsolute(path) ? path : join(dirname(ctx.fileOf(at)), path);
}

/** parseFile reads, parses, interpolates and flattens another Compose file; undefined when it cannot. */
export function parseFile(ctx: LoadContext, path: string, at: unknown, atPath: string): ValueNode | undefined {
  const text = ctx.readFile(path);
  if (text === undefined) {
    ctx.error(at, atPath, `cannot read ${quote(path)} (no such file)`);
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const source = { file: path, text, doc, lineCounter };
  ctx.addSource(source);
  for (const e of doc.errors) {
    ctx.errors.push({ file: path, ...lineCounter.linePos(e.pos[0]), path: '', message: `invalid yaml: ${e.message.charAt(0).toLowerCase()}${e.message.slice(1)}`, severity: 'error' });
  }
  if (doc.errors.length > 0) return undefined;
  if (expandsTooMuch(doc)) {
    ctx.error(at, atPath, `${quote(path)}: aliases expand too much (more than ${MAX_YAML_ALIASES} uses of anchors): refused as a resource exhaustion attack`);
    return undefined;
  }
  interpolateDocument(ctx, source);
  return flattenNode(ctx, doc.contents, '');
}

/**
 * resolveExtends replaces every service that has `extends` by the service it
 * extends (in the same file, or `file:` relative to the file that says so)
 * with its own keys merged on top, as an override file is merged.
 */
export function resolveExtends(ctx: LoadContext, services: YAMLMap): void {
  const files = new Map<string, YAMLMap | undefined>();
  const done = new Map<ValueNode, ValueNode>();

  const servicesOf = (path: string, at: unknown, atPath: string): YAMLMap | undefined => {
    if (!files.has(path)) {
      const root = parseFile(ctx, path, at, atPath);
      const pair = isMap(root) ? pairOf(root, 'services') : undefined;
      const value = pair === undefined ? undefined : ctx.resolve(pair.value);
      files.set(path, isMap(value) ? value : undefined);
    }
    return files.get(path);
  };

  const resolve = (map: YAMLMap, name: string, path: string, chain: string[]): ValueNode | undefined => {
    const service = ctx.resolve(pairOf(map, name)?.value);
    if (!isMap(service)) return service;
    const known = done.get(service);
    if (known !== undefined) return known;
    const ext = pairOf(service, 'extends');
    if (ext === undefined) return service;
    const value = ctx.resolve(ext.value);
    const extPath = joinPath(path, 'extends');
    let base: string | undefined;
    let file: string | undefined;
    if (isScalar(value)) base = scalarText(value);
    else if (isMap(value)) {
      base = scalarText(ctx.resolve(pairOf(value, 'service')?.value));
      file = scalarText(ctx.resolve(pairOf(value, 'file')?.value));
    }
    if (base === undefined) return service; // the schema reports the form
    const from = file === undefined ? map : servicesOf(relativeTo(ctx, ext.key, file), value, joinPath(extPath, 'file'));
    const id = `${file === undefined ? ctx.fileOf(map) : relativeTo(ctx, ext.key, file)}#${base}`;
    if (from === undefined) return without(ctx, service, 'extends');
    if (chain.includes(id)) {
      ctx.error(value, extPath, `extends ${quote(base)} goes round in a circle (${[...chain, id].map((c) => c.split('#')[1]).join(' -> ')})`);
      return without(ctx, service, 'extends');
    }
    if (pairOf(from, base) === undefined) {
      ctx.error(value, extPath, `extends ${quote(base)}: no such service${file === undefined ? '' : ` in ${quote(file)}`}`);
      return without(ctx, service, 'extends');
    }
    const parent = resolve(from, base, joinPath('services', base), [...chain, id]);
    const merged = mergeOverride(ctx, parent, without(ctx, service, 'extends')) ?? service;
    done.set(service, merged);
    return merged;
  };

  for (const pair of services.items) {
    const name = isScalar(pair.key) ? scalarText(pair.key) : undefined;
    if (name === undefined) continue;
    const id = `${ctx.fileOf(services)}#${name}`;
    const resolved = resolve(services, name, joinPath('services', name), [id]);
    if (resolved !== undefined) pair.value = resolved;
  }
}
