/**
 * The service keys `build` (a context path, or {context, dockerfile, args,
 * target}) and `env_file` (dotenv files whose variables come before
 * `environment`), both read relative to the file that names them.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { BuildSpec } from '../serviceOptions.js';
import { isAbsolute, join } from 'node:path/posix';
import type { LoadContext } from './context.js';
import { type Entry, entriesOf, indexPath, quote, readBoolean, readString, scalarText } from './nodes.js';
import { normalizeKeyValues } from './normalizeKeyValues.js';
import { parseEnvFile, parseRawEnvFile } from './parseEnvFile.js';
import { relativeTo } from './resolveExtends.js';
import type { KeyNormalizer } from './ServiceDraft.js';

/** checkBuildPaths reports a build context that is not a folder and a Dockerfile that is not a file, when the caller can look (ctx.pathKind). */
function checkBuildPaths(ctx: LoadContext, e: Entry, build: BuildSpec): void {
  if (ctx.pathKind === undefined) return;
  const at = (key: string): { node: unknown; path: string } => {
    const pair = isMap(e.value) ? entriesOf(ctx, e.value, e.path).find((k) => k.key === key) : undefined;
    return pair === undefined ? { node: e.value, path: e.path } : { node: pair.value, path: pair.path };
  };
  if (ctx.pathKind(build.context) !== 'folder') {
    const where = at('context');
    ctx.error(where.node, where.path, `build context ${quote(build.context)} is not a folder (a path relative to the Compose file)`);
    return;
  }
  const dockerfile = build.dockerfile !== undefined && isAbsolute(build.dockerfile) ? build.dockerfile : join(build.context, build.dockerfile ?? 'Dockerfile');
  if (ctx.pathKind(dockerfile) !== 'file') {
    const where = at(build.dockerfile === undefined ? 'context' : 'dockerfile');
    ctx.error(where.node, where.path, `no Dockerfile at ${quote(dockerfile)} (dockerfile is relative to the context)`);
  }
}

/** normalizeBuild reads `build` into spec.build; the context is made absolute against its file's folder. */
export const normalizeBuild: KeyNormalizer = (ctx, e, draft) => {
  draft.buildEntry = e;
  const build: BuildSpec = { context: '.', args: {} };
  if (isScalar(e.value)) build.context = scalarText(e.value) ?? '.';
  else if (isMap(e.value)) {
    for (const k of entriesOf(ctx, e.value, e.path)) {
      if (k.key === 'context') build.context = readString(ctx, k.value, k.path) ?? '.';
      else if (k.key === 'dockerfile') build.dockerfile = readString(ctx, k.value, k.path);
      else if (k.key === 'target') build.target = readString(ctx, k.value, k.path);
      else if (k.key === 'args') build.args = normalizeKeyValues(ctx, k.value, k.path, (key) => ctx.env[key]);
      else if (!k.key.startsWith('x-')) ctx.warn(k.keyNode, k.path, 'not supported yet, ignored');
    }
  } else return;
  if (build.dockerfile === undefined) delete build.dockerfile;
  if (build.target === undefined) delete build.target;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(build.context)) ctx.error(e.value, e.path, `invalid context ${quote(build.context)} (a folder; remote contexts are not supported)`);
  else {
    build.context = relativeTo(ctx, e.value, build.context);
    checkBuildPaths(ctx, e, build);
  }
  draft.spec.build = build;
};

/** normalizeEnvFile reads `env_file`: a path, a list of paths, or of {path, required, format}; `format: raw` takes values as written. */
export const normalizeEnvFile: KeyNormalizer = (ctx, e, draft) => {
  const items = isSeq(e.value) ? e.value.items.map((i) => ctx.resolve(i)) : [e.value];
  items.forEach((item, i) => {
    const path = isSeq(e.value) ? indexPath(e.path, i) : e.path;
    let file: string | undefined;
    let required = true;
    let raw = false;
    if (isScalar(item)) file = scalarText(item);
    else if (isMap(item)) {
      for (const k of entriesOf(ctx, item, path)) {
        if (k.key === 'path') file = readString(ctx, k.value, k.path);
        else if (k.key === 'required') required = readBoolean(ctx, k.value, k.path) ?? true;
        else if (k.key === 'format') {
          const format = readString(ctx, k.value, k.path);
          if (format === 'raw') raw = true;
          else if (format !== undefined) ctx.error(k.value, k.path, `invalid format ${quote(format)} (raw: values as written; leave it out for the Compose rules)`);
        }
      }
    }
    if (file === undefined) return;
    const full = relativeTo(ctx, item, file);
    const text = ctx.readFile(full);
    if (text === undefined) {
      if (required) ctx.error(item, path, `cannot read env file ${quote(full)} (no such file)`);
      return;
    }
    const r = raw ? parseRawEnvFile(text) : parseEnvFile(text, ctx.env);
    for (const p of r.problems) ctx.errors.push({ file: full, line: p.line, col: p.col, path: '', message: p.message, severity: 'error' });
    Object.assign(draft.envFromFiles, r.vars);
  });
};
