/**
 * The top-level key `include`: Compose files loaded as projects of their own
 * (relative paths from their own folder, variables from their own `.env` or
 * `env_file` under the caller's environment) whose services, networks,
 * volumes, secrets and configs join the including file's.
 */
import { dirname, join } from 'node:path/posix';
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap } from 'yaml';
import type { LoadContext, ValueNode } from './context.js';
import { mergeOverride } from './mergeOverride.js';
import { entriesOf, indexPath, quote, readStringList, scalarText, warnUnsupported } from './nodes.js';
import { parseEnvFile } from './parseEnvFile.js';
import { pairOf, parseFile, relativeTo } from './resolveExtends.js';

/** SECTIONS are the top-level keys an included file adds to the including one. */
const SECTIONS = ['services', 'networks', 'volumes', 'secrets', 'configs'];
/** MAX_INCLUDE_DEPTH bounds files that include files that include files. */
const MAX_INCLUDE_DEPTH = 10;

/** IncludeEntry is one item of `include`: its files, its env files, where it was written. */
interface IncludeEntry {
  files: string[];
  envFiles?: string[];
  at: ValueNode;
  path: string;
}

function readPaths(ctx: LoadContext, node: ValueNode | undefined, path: string): string[] | undefined {
  if (isScalar(node)) {
    const text = scalarText(node);
    return text === undefined ? undefined : [relativeTo(ctx, node, text)];
  }
  return readStringList(ctx, node, path)?.map((p) => relativeTo(ctx, node, p));
}

function readEntry(ctx: LoadContext, raw: unknown, path: string): IncludeEntry | undefined {
  const item = ctx.resolve(raw);
  if (item === undefined) return undefined;
  if (isScalar(item)) {
    const files = readPaths(ctx, item, path);
    return files === undefined ? undefined : { files, at: item, path };
  }
  if (!isMap(item)) return undefined; // the schema reports the form
  let files: string[] | undefined;
  let envFiles: string[] | undefined;
  for (const k of entriesOf(ctx, item, path)) {
    if (k.key === 'path') files = readPaths(ctx, k.value, k.path);
    else if (k.key === 'env_file') envFiles = readPaths(ctx, k.value, k.path);
    else if (k.key === 'project_directory') warnUnsupported(ctx, k, 'paths in an included file are relative to its own folder');
  }
  return files === undefined ? undefined : { files, at: item, path, ...(envFiles === undefined ? {} : { envFiles }) };
}

/** includedEnv is the environment an included project interpolates with: its env files (or the `.env` beside its first file) under the caller's. */
function includedEnv(ctx: LoadContext, entry: IncludeEntry, callerEnv: Readonly<Record<string, string>>): Record<string, string> {
  const explicit = entry.envFiles !== undefined;
  const vars: Record<string, string> = {};
  for (const file of entry.envFiles ?? [join(dirname(entry.files[0] ?? ''), '.env')]) {
    const text = ctx.readFile(file);
    if (text === undefined) {
      if (explicit) ctx.error(entry.at, entry.path, `cannot read env file ${quote(file)} (no such file)`);
      continue;
    }
    const r = parseEnvFile(text, { ...vars, ...callerEnv });
    for (const p of r.problems) ctx.errors.push({ file, line: p.line, col: p.col, path: '', message: p.message, severity: 'error' });
    Object.assign(vars, r.vars);
  }
  return { ...vars, ...callerEnv };
}

/** addSections adds an included project's resources to the including root; a name defined in both is an error. */
function addSections(ctx: LoadContext, root: YAMLMap, included: YAMLMap, entry: IncludeEntry): void {
  for (const e of entriesOf(ctx, included, '')) {
    if (!SECTIONS.includes(e.key)) {
      if (e.key !== 'name' && e.key !== 'version' && !e.key.startsWith('x-')) warnUnsupported(ctx, e, 'in an included file, only services, networks, volumes, secrets and configs are taken');
      continue;
    }
    if (!isMap(e.value)) continue;
    const existing = ctx.resolve(pairOf(root, e.key)?.value);
    let target: YAMLMap;
    if (isMap(existing)) target = existing;
    else {
      target = ctx.derive(new YAMLMap(), e.value);
      const old = pairOf(root, e.key);
      if (old === undefined) root.items.push(new Pair(ctx.derive(new Scalar(e.key), e.keyNode), target));
      else old.value = target;
    }
    for (const pair of e.value.items) {
      const name = isScalar(pair.key) ? scalarText(pair.key) : undefined;
      if (name === undefined) continue;
      if (pairOf(target, name) !== undefined) {
        ctx.error(pair.key, `${e.key}.${name}`, `${e.key.slice(0, -1)} ${quote(name)} is defined both here and in ${quote(ctx.fileOf(entry.at))}, which includes this file (give it another name in one of them)`);
        continue;
      }
      target.items.push(pair);
    }
  }
}

/**
 * resolveInclude replaces a root's `include` by the resources of the files
 * it names (several files of one item merge as override files do); files
 * they include are read the same way, at most MAX_INCLUDE_DEPTH deep and
 * never one that includes itself.
 */
export function resolveInclude(ctx: LoadContext, root: YAMLMap, callerEnv: Readonly<Record<string, string>>, chain: string[] = [ctx.fileOf(root)]): void {
  const pair = pairOf(root, 'include');
  if (pair === undefined) return;
  root.items = root.items.filter((p) => p !== pair);
  const list = ctx.resolve(pair.value);
  if (!isSeq(list)) return; // the schema reports the form
  list.items.forEach((raw, i) => {
    const entry = readEntry(ctx, raw, indexPath('include', i));
    if (entry === undefined) return;
    const cycle = entry.files.find((f) => chain.includes(f));
    if (cycle !== undefined || chain.length > MAX_INCLUDE_DEPTH) {
      ctx.error(entry.at, entry.path, cycle !== undefined ? `${quote(cycle)} includes itself (${[...chain, cycle].join(' -> ')})` : `includes nested more than ${MAX_INCLUDE_DEPTH} deep`);
      return;
    }
    const env = includedEnv(ctx, entry, callerEnv);
    const saved = ctx.env;
    ctx.env = env; // an included project interpolates with its own variables
    let merged: ValueNode | undefined;
    try {
      for (const file of entry.files) {
        const included = parseFile(ctx, file, entry.at, entry.path);
        if (!isMap(included)) continue;
        resolveInclude(ctx, included, callerEnv, [...chain, file]);
        merged = mergeOverride(ctx, merged, included);
      }
    } finally {
      ctx.env = saved;
    }
    if (isMap(merged)) addSections(ctx, root, merged, entry);
  });
}
