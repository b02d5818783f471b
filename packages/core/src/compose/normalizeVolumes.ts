/**
 * The service keys `volumes` (short `[SOURCE:]TARGET[:MODE]` and long
 * syntax: named volumes of the stack, bind mounts, tmpfs) and `tmpfs`, read
 * into MountSpecs. A named volume must be declared at the top level; its
 * engine name is `<stack>_<name>`.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { MountSpec } from '../serviceOptions.js';
import type { LoadContext, ValueNode } from './context.js';
import { describe, entriesOf, indexPath, isNull, quote, readBoolean, readString, scalarText, warnUnsupported } from './nodes.js';
import { readBytes } from './normalizeHostKeys.js';
import { parseBytes } from './parseBytes.js';
import { relativeTo } from './resolveExtends.js';
import type { KeyNormalizer } from './ServiceDraft.js';

const SHORT_FORM = '"[SOURCE:]TARGET[:ro|rw]" with an absolute TARGET';
/** CONSISTENCY is what happens to the consistency of a mount: nothing, as with Docker on Linux. */
const CONSISTENCY = 'ignored: a mount\'s consistency has no effect on Linux engines';

function isPathSource(source: string): boolean {
  return source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
}

/** namedVolume makes the mount of a volume declared at the top level, or reports it undeclared. */
function namedVolume(ctx: LoadContext, at: unknown, path: string, name: string, target: string, readOnly: boolean): MountSpec | undefined {
  const declared = ctx.resources.volumes.get(name);
  if (declared === undefined) {
    ctx.error(at, path, `volume ${quote(name)} is not declared in the top-level volumes`);
    return undefined;
  }
  return { type: 'volume', source: declared.engineName, target, readOnly, ...(declared.external ? { external: true } : {}) };
}

function bindSource(ctx: LoadContext, at: unknown, source: string): string {
  return source.startsWith('~') ? source : relativeTo(ctx, at, source);
}

function readShort(ctx: LoadContext, node: ValueNode, path: string, text: string): MountSpec | undefined {
  const parts = text.split(':');
  const [a, b, c] = parts;
  if (parts.length > 3 || a === undefined || a === '') {
    ctx.error(node, path, `invalid volume ${quote(text)} (${SHORT_FORM})`);
    return undefined;
  }
  if (parts.length === 1) {
    if (!a.startsWith('/')) ctx.error(node, path, `invalid volume ${quote(text)} (${SHORT_FORM})`);
    return a.startsWith('/') ? { type: 'volume', source: '', target: a, readOnly: false } : undefined;
  }
  const target = b ?? '';
  const modes = (c ?? '').split(',').filter((m) => m !== '');
  const badMode = modes.find((m) => !['ro', 'rw', 'z', 'Z', 'nocopy', 'cached', 'delegated', 'consistent'].includes(m));
  if (!target.startsWith('/') || badMode !== undefined) {
    ctx.error(node, path, `invalid volume ${quote(text)} (${SHORT_FORM})`);
    return undefined;
  }
  for (const m of modes) {
    if (m === 'cached' || m === 'delegated' || m === 'consistent') ctx.warn(node, path, `mode ${quote(m)}: ${CONSISTENCY}`);
    else if (m !== 'ro' && m !== 'rw') ctx.warn(node, path, `mode ${quote(m)} is not supported yet, ignored`);
  }
  const readOnly = modes.includes('ro');
  if (isPathSource(a)) return { type: 'bind', source: bindSource(ctx, node, a), target, readOnly };
  return namedVolume(ctx, node, path, a, target, readOnly);
}

function readLong(ctx: LoadContext, node: ValueNode, path: string): MountSpec | undefined {
  if (!isMap(node)) return undefined;
  let type: string | undefined;
  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  let sizeBytes: number | undefined;
  let createHostPath: boolean | undefined;
  for (const e of entriesOf(ctx, node, path)) {
    if (e.key === 'type') type = readString(ctx, e.value, e.path);
    else if (e.key === 'source') source = readString(ctx, e.value, e.path);
    else if (e.key === 'target') target = readString(ctx, e.value, e.path);
    else if (e.key === 'read_only') readOnly = readBoolean(ctx, e.value, e.path) ?? false;
    else if (e.key === 'tmpfs' && isMap(e.value)) {
      for (const o of entriesOf(ctx, e.value, e.path)) {
        if (o.key === 'size') sizeBytes = readBytes(ctx, o.value, o.path);
        else warnUnsupported(ctx, o);
      }
    } else if (e.key === 'bind' && isMap(e.value)) {
      for (const o of entriesOf(ctx, e.value, e.path)) {
        if (o.key === 'create_host_path') createHostPath = readBoolean(ctx, o.value, o.path);
        else warnUnsupported(ctx, o);
      }
    } else if (e.key === 'volume' && isMap(e.value)) {
      for (const o of entriesOf(ctx, e.value, e.path)) warnUnsupported(ctx, o);
    } else if (e.key === 'consistency') ctx.warn(e.keyNode, e.path, CONSISTENCY);
    else if (!e.key.startsWith('x-') && !isNull(e.value)) warnUnsupported(ctx, e);
  }
  if (target === undefined || !target.startsWith('/')) {
    ctx.error(node, path, `target must be an absolute path, got ${target === undefined ? 'none' : quote(target)}`);
    return undefined;
  }
  if (type === 'tmpfs') return { type: 'tmpfs', source: '', target, readOnly, ...(sizeBytes === undefined ? {} : { sizeBytes }) };
  if (type === 'bind') {
    if (source === undefined) {
      ctx.error(node, path, 'a bind mount needs a source path');
      return undefined;
    }
    return { type: 'bind', source: bindSource(ctx, node, source), target, readOnly, ...(createHostPath === false ? { createHostPath } : {}) };
  }
  if (type === 'volume') return source === undefined || source === '' ? { type: 'volume', source: '', target, readOnly } : namedVolume(ctx, node, path, source, target, readOnly);
  ctx.error(node, path, `invalid volume type ${quote(type ?? '')} (volume, bind or tmpfs)`);
  return undefined;
}

/** normalizeVolumes reads the service key `volumes`. */
export const normalizeVolumes: KeyNormalizer = (ctx, e, draft) => {
  if (!isSeq(e.value)) {
    ctx.error(e.value, e.path, `expected a list of volumes, got ${describe(e.value)}`);
    return;
  }
  e.value.items.forEach((raw, i) => {
    const item = ctx.resolve(raw);
    const path = indexPath(e.path, i);
    if (item === undefined) return;
    const text = isScalar(item) ? scalarText(item) : undefined;
    const mount = text !== undefined ? readShort(ctx, item, path, text) : readLong(ctx, item, path);
    if (mount !== undefined) (draft.spec.mounts ??= []).push(mount);
  });
};

/** normalizeTmpfs reads the service key `tmpfs`: a path or a list of "PATH[:size=N,...]". */
export const normalizeTmpfs: KeyNormalizer = (ctx, e, draft) => {
  const items = isSeq(e.value) ? e.value.items.map((i) => ctx.resolve(i)) : [e.value];
  items.forEach((item, i) => {
    const text = scalarText(item);
    const path = isSeq(e.value) ? indexPath(e.path, i) : e.path;
    const [target = '', options = ''] = (text ?? '').split(/:(.*)/s);
    if (!target.startsWith('/')) {
      ctx.error(item, path, `invalid tmpfs ${text === undefined ? `(${describe(item)})` : quote(text)} (an absolute path, optionally ":size=64m")`);
      return;
    }
    const size = /(?:^|,)size=([^,]+)/.exec(options)?.[1];
    const sizeBytes = size === undefined ? undefined : parseBytes(size);
    (draft.spec.mounts ??= []).push({ type: 'tmpfs', source: '', target, readOnly: false, ...(sizeBytes === undefined ? {} : { sizeBytes }) });
  });
};
