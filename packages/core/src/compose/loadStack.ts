import { dirname, join } from 'node:path/posix';
import { isMap, LineCounter, Pair, parseDocument, YAMLMap } from 'yaml';
import { MAX_COMPOSE_FILE_BYTES, MAX_YAML_ALIASES } from '../limits.js';
import { LoadContext, NOWHERE, type ValueNode } from './context.js';
import type { Problem } from './formatProblem.js';
import { expandsTooMuch } from './expandsTooMuch.js';
import { flattenNode } from './flattenNode.js';
import { interpolateDocument } from './interpolate.js';
import type { LoadOptions, LoadResult } from './LoadOptions.js';
import { COMPOSE_TAGS, dropResets, mergeOverride } from './mergeOverride.js';
import { describe, isNull, quote, scalarText } from './nodes.js';
import { normalizeStack } from './normalizeStack.js';
import { parseEnvFile } from './parseEnvFile.js';
import { pairOf, resolveExtends } from './resolveExtends.js';
import { resolveInclude } from './resolveInclude.js';
import { validateSchema } from './validateSchema.js';
import { validateStackSpec } from '../validateStackSpec.js';

/** LoadStackOptions name the files of a stack: the first one, then override files merged onto it in order. */
export interface LoadStackOptions extends Omit<LoadOptions, 'file'> {
  /** files are read with readFile; problems name them as given. */
  files: string[];
}

/**
 * loadStack reads a stack made of one or more Compose files (`-c a.yml -c
 * b.yml`): variables from the `.env` file (or `--env-file`) under the
 * caller's, interpolation, override files merged as Compose merges them,
 * `extends`, `profiles`, validation against the Compose schema, then every
 * key normalized. Every problem is reported with its file and position.
 */
export function loadStack(options: LoadStackOptions): LoadResult {
  const first = options.files[0] ?? 'compose.yaml';
  const ctx = new LoadContext(first, options.env ?? {}, options.readFile, options.readBytes, options.pathKind);
  ctx.env = { ...readEnvFiles(ctx, options, first), ...(options.env ?? {}) };

  const roots: ValueNode[] = [];
  let broken = false;
  for (const file of options.files) {
    const text = ctx.readFile(file);
    if (text === undefined) {
      ctx.errors.push(nowhere(file, `cannot read ${quote(file)} (no such file)`));
      broken = true;
      continue;
    }
    if (text.length > MAX_COMPOSE_FILE_BYTES) {
      ctx.errors.push(nowhere(file, `${quote(file)} is ${text.length} bytes (at most ${MAX_COMPOSE_FILE_BYTES} for a Compose file)`));
      broken = true;
      continue;
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
    const source = { file, text, doc, lineCounter };
    ctx.addSource(source);
    const inFile = (offset: number, message: string, severity: Problem['severity']): Problem => ({ file, ...lineCounter.linePos(offset), path: '', message, severity });
    for (const e of doc.errors) ctx.errors.push(inFile(e.pos[0], `invalid yaml: ${lowerFirst(e.message)}`, 'error'));
    for (const w of doc.warnings) {
      // `!reset` and `!override` are Compose's own tags, read by mergeOverride.
      if (w.code === 'TAG_RESOLVE_FAILED' && COMPOSE_TAGS.has(text.slice(w.pos[0], w.pos[1]))) continue;
      ctx.warnings.push(inFile(w.pos[0], `yaml: ${lowerFirst(w.message)}`, 'warning'));
    }
    if (doc.errors.length > 0) {
      broken = true;
      continue;
    }
    if (expandsTooMuch(doc)) {
      ctx.errors.push(inFile(0, `aliases expand too much (more than ${MAX_YAML_ALIASES} uses of anchors, counting those inside anchors): refused as a resource exhaustion attack`, 'error'));
      broken = true;
      continue;
    }
    interpolateDocument(ctx, source);
    const root = flattenNode(ctx, doc.contents, '');
    if (root !== undefined && !isNull(root) && !isMap(root)) {
      ctx.error(root, '', `expected a mapping of top-level keys (services, name, ...), got ${describe(root)}`);
      broken = true;
    } else if (root !== undefined && isMap(root)) {
      resolveInclude(ctx, root, options.env ?? {});
      roots.push(root);
    }
  }
  if (broken) return result(ctx, []);

  let merged: ValueNode | undefined;
  for (const root of roots) merged = mergeOverride(ctx, merged, root);
  const root = isMap(merged) ? merged : new YAMLMap();
  const services = ctx.resolve(pairOf(root, 'services')?.value);
  if (isMap(services)) resolveExtends(ctx, services);
  // What `!reset` still marks (in the first file, or with nothing under it to reset) goes now.
  dropResets(root);
  if (isMap(services)) keepActiveProfiles(ctx, root, services, options.profiles ?? []);
  const before = ctx.errors.length;
  validateSchema(ctx, root);
  const schemaErrors = ctx.errors.splice(before);
  const spec = normalizeStack(ctx, root, options.stackName);
  const fromSchema = schemaErrors.filter((s) => !ctx.errors.some((e) => samePlace(e, s) || (e.file === s.file && e.path === s.path)));
  ctx.errors.push(...fromSchema);
  const warnings = ctx.warnings.filter((w) => !fromSchema.some((s) => samePlace(w, s)));
  ctx.warnings.splice(0, ctx.warnings.length, ...warnings);
  // What the manager will check of the spec is checked here too (one validator), so that a spec refused there is refused here first.
  if (ctx.errors.length === 0 && spec !== undefined) {
    for (const p of validateStackSpec(spec.name, spec)) ctx.errors.push(nowhere(first, `${p.path}: ${p.message}`));
  }
  const files = [...ctx.sources.map((s) => s.file)];
  return ctx.errors.length === 0 && spec !== undefined ? { ...result(ctx, files), spec } : result(ctx, files);
}

/** readEnvFiles reads `--env-file` files, or the `.env` beside the first file when it exists. */
function readEnvFiles(ctx: LoadContext, options: LoadStackOptions, first: string): Record<string, string> {
  const explicit = options.envFiles !== undefined;
  const files = options.envFiles ?? [join(dirname(first), '.env')];
  const vars: Record<string, string> = {};
  for (const file of files) {
    const text = ctx.readFile(file);
    if (text === undefined) {
      if (explicit) ctx.errors.push(nowhere(file, `cannot read env file ${quote(file)} (no such file)`));
      continue;
    }
    const r = parseEnvFile(text, { ...vars, ...(options.env ?? {}) });
    for (const p of r.problems) ctx.errors.push({ file, line: p.line, col: p.col, path: '', message: p.message, severity: 'error' });
    Object.assign(vars, r.vars);
  }
  return vars;
}

/**
 * keepActiveProfiles removes the services whose `profiles` are all inactive;
 * a service without profiles is always active, "*" activates every profile.
 */
function keepActiveProfiles(ctx: LoadContext, root: YAMLMap, services: YAMLMap, active: string[]): void {
  const kept = ctx.derive(new YAMLMap(), services);
  for (const pair of services.items) {
    const service = ctx.resolve(pair.value);
    const profiles = isMap(service) ? ctx.resolve(pairOf(service, 'profiles')?.value) : undefined;
    const names = profiles !== undefined && 'items' in profiles ? (profiles.items as unknown[]).map((i) => scalarText(ctx.resolve(i))) : [];
    if (names.length === 0 || active.includes('*') || names.some((n) => n !== undefined && active.includes(n))) kept.items.push(pair);
    else ctx.inactiveServices.add(String(scalarText(ctx.resolve(pair.key))));
  }
  const at = root.items.findIndex((p) => p === pairOf(root, 'services'));
  const old = root.items[at];
  if (old !== undefined) root.items[at] = new Pair(old.key, kept);
}

function nowhere(file: string, message: string): Problem {
  return { file, ...NOWHERE, path: '', message, severity: 'error' };
}

function samePlace(a: Problem, b: Problem): boolean {
  return a.file === b.file && a.line === b.line && a.col === b.col;
}

function lowerFirst(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/** result sorts problems by file (in the order read) and position; problems outside the files come first. */
function result(ctx: LoadContext, files: string[]): LoadResult {
  const order = (p: Problem): number => (p.line === 0 ? -1 : Math.max(0, files.indexOf(p.file)));
  const byPosition = (a: Problem, b: Problem): number => order(a) - order(b) || a.line - b.line || a.col - b.col;
  return { errors: [...ctx.errors].sort(byPosition), warnings: [...ctx.warnings].sort(byPosition) };
}
