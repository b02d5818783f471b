import { isMap, LineCounter, parseDocument } from 'yaml';
import { NAME_RE, type ServiceSpec, type StackSpec } from '../model.js';
import { LoadContext, NOWHERE } from './context.js';
import { defaultStackName } from './defaultStackName.js';
import type { Problem } from './formatProblem.js';
import { interpolateDocument } from './interpolate.js';
import { describe, type Entry, entriesOf, isNull, quote, readString, warnUnsupported } from './nodes.js';
import { normalizeService } from './normalizeService.js';
import type { ServiceDraft } from './ServiceDraft.js';

/** LoadOptions say where the text comes from and what to interpolate it with. */
export interface LoadOptions {
  /** file is the file name used in problems; its folder gives the default stack name. */
  file: string;
  /** stackName overrides the stack name. @default the file's `name`, else defaultStackName(file) */
  stackName?: string;
  /** env holds the variables for interpolation. @default {} */
  env?: Record<string, string>;
}

/** LoadResult is the normalized stack, present if and only if errors is empty, and every problem found. */
export interface LoadResult {
  spec?: StackSpec;
  errors: Problem[];
  warnings: Problem[];
}

const NAME_FORM = 'lowercase letters, digits, "_" and "-"';

/**
 * loadCompose reads a Compose file into a StackSpec. It never throws on bad
 * input: it collects every problem with its position and YAML path. When the
 * YAML itself is broken it reports only the syntax errors.
 */
export function loadCompose(text: string, options: LoadOptions): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const ctx = new LoadContext(options.file, text, doc, lineCounter, options.env ?? {});
  for (const e of doc.errors) ctx.error(e.pos[0], '', `invalid yaml: ${lowerFirst(e.message)}`);
  for (const w of doc.warnings) ctx.warn(w.pos[0], '', `yaml: ${lowerFirst(w.message)}`);
  if (ctx.errors.length > 0) return result(ctx);

  interpolateDocument(ctx);
  const root = ctx.resolve(doc.contents);
  if (root !== undefined && !isNull(root) && !isMap(root)) {
    ctx.error(root, '', `expected a mapping of top-level keys (services, name, ...), got ${describe(root)}`);
    return result(ctx);
  }
  let services: Entry | undefined;
  let nameEntry: Entry | undefined;
  for (const e of isMap(root) ? entriesOf(ctx, root, '') : []) {
    if (e.key === 'services') services = e;
    else if (e.key === 'name') nameEntry = e;
    else if (e.key === 'version' || e.key.startsWith('x-')) continue; // version is obsolete; x- keys are extensions
    else warnUnsupported(ctx, e);
  }
  const name = stackName(ctx, options, nameEntry);
  const drafts = readServices(ctx, services);
  checkPublishedPorts(ctx, drafts);
  if (ctx.errors.length > 0 || name === undefined) return result(ctx);
  const byName: Record<string, ServiceSpec> = {};
  for (const d of drafts) byName[d.spec.name] = d.spec;
  return { ...result(ctx), spec: { name, services: byName } };
}

function result(ctx: LoadContext): LoadResult {
  return { errors: [...ctx.errors].sort(byPosition), warnings: [...ctx.warnings].sort(byPosition) };
}

function lowerFirst(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/** stackName picks the stack name: the caller's, else the file's `name`, else the folder's. */
function stackName(ctx: LoadContext, options: LoadOptions, entry: Entry | undefined): string | undefined {
  const fromFile = entry === undefined || isNull(entry.value) ? undefined : readString(ctx, entry.value, entry.path);
  if (options.stackName !== undefined) {
    if (NAME_RE.test(options.stackName)) return options.stackName;
    ctx.error(NOWHERE, '', `invalid stack name ${quote(options.stackName)} (${NAME_FORM})`);
    return undefined;
  }
  if (entry !== undefined && fromFile !== undefined) {
    if (NAME_RE.test(fromFile)) return fromFile;
    ctx.error(entry.value, entry.path, `invalid stack name ${quote(fromFile)} (${NAME_FORM})`);
    return undefined;
  }
  const derived = defaultStackName(ctx.file);
  if (NAME_RE.test(derived)) return derived;
  ctx.error(NOWHERE, '', `no stack name: the folder of ${quote(ctx.file)} gives none (${NAME_FORM}); set name in the file or pass a stack name`);
  return undefined;
}

/** readServices reads the required `services` mapping. */
function readServices(ctx: LoadContext, entry: Entry | undefined): ServiceDraft[] {
  if (entry === undefined) {
    ctx.error({ line: 1, col: 1 }, 'services', 'required (a mapping of service names to services)');
    return [];
  }
  if (!isMap(entry.value)) {
    ctx.error(isNull(entry.value) ? entry.keyNode : entry.value, entry.path, `expected a mapping of service names to services, got ${describe(entry.value)}`);
    return [];
  }
  const services = entriesOf(ctx, entry.value, entry.path);
  if (services.length === 0) ctx.warn(entry.keyNode, entry.path, 'no services (the stack runs nothing)');
  const drafts: ServiceDraft[] = [];
  for (const s of services) {
    if (!NAME_RE.test(s.key)) ctx.error(s.keyNode, s.path, `invalid service name ${quote(s.key)} (${NAME_FORM})`);
    const draft = normalizeService(ctx, s);
    if (draft !== undefined) drafts.push(draft);
  }
  return drafts;
}

/**
 * checkPublishedPorts reports a published port used twice in the stack when
 * either use is in ingress mode, which listens on every node.
 */
function checkPublishedPorts(ctx: LoadContext, drafts: ServiceDraft[]): void {
  const seen = new Map<string, { path: string; mode: string }[]>();
  for (const d of drafts) {
    d.spec.ports.forEach((p, i) => {
      const origin = d.portOrigins[i];
      if (p.published === 0 || origin === undefined) return;
      const key = `${p.published}/${p.protocol}`;
      const uses = seen.get(key) ?? [];
      const clash = uses.find((u) => u.path !== origin.path && (u.mode === 'ingress' || p.mode === 'ingress'));
      if (clash !== undefined) ctx.error(origin.node, origin.path, `published port ${key} is already used by ${clash.path}`);
      uses.push({ path: origin.path, mode: p.mode });
      seen.set(key, uses);
    });
  }
}

/** byPosition orders problems as they appear in the file; problems outside the file come first. */
function byPosition(a: Problem, b: Problem): number {
  return a.line - b.line || a.col - b.col;
}
