/**
 * The service keys `volumes` (short `[SOURCE:]TARGET[:MODE]` and long
 * syntax: named volumes of the stack, bind mounts, tmpfs) and `tmpfs`, read
 * into MountSpecs. A named volume must be declared at the top level; its
 * engine name is `<stack>_<name>`.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { BindPropagation, MountSpec } from '../serviceOptions.js';
import type { LoadContext, ValueNode } from './context.js';
import { describe, entriesOf, indexPath, isNull, parseOctalMode, quote, readBoolean, readString, scalarText, warnUnsupported } from './nodes.js';
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

/** MountOptions are the options of one type of mount, read from its long syntax. */
type MountOptions = Pick<MountSpec, 'propagation' | 'noCopy' | 'mode'>;

const OPTION_NAMES: Record<keyof MountOptions, string> = { propagation: 'propagation', noCopy: 'nocopy', mode: 'a tmpfs mode' };

const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'] as const;

function readPropagation(ctx: LoadContext, node: ValueNode | undefined, path: string): BindPropagation | undefined {
  const text = readString(ctx, node, path);
  const p = PROPAGATIONS.find((x) => x === text);
  if (p === undefined && text !== undefined) ctx.error(node, path, `invalid propagation ${quote(text)} (${PROPAGATIONS.join(', ')})`);
  return p;
}

/** readMode reads the mode of a tmpfs, in octal digits (`1777`, `0700`). */
function readMode(ctx: LoadContext, node: ValueNode | undefined, path: string): number | undefined {
  const text = scalarText(node) ?? '';
  const n = parseOctalMode(text);
  if (n !== undefined) return n;
  ctx.error(node, path, `invalid mode ${quote(text)} (an octal file mode such as 1777)`);
  return undefined;
}

/**
 * only keeps the option that belongs to a mount's type; the options of
 * another type (`bind:` on a volume) are warnings, not silently dropped.
 */
function only(options: MountOptions, key: keyof MountOptions, type: string, ctx: LoadContext, at: unknown, path: string): MountOptions {
  for (const k of Object.keys(options) as (keyof MountOptions)[]) {
    if (k !== key && options[k] !== undefined) ctx.warn(at, path, `${OPTION_NAMES[k]} is ignored on a ${type} mount`);
  }
  const value = options[key];
  return value === undefined ? {} : { [key]: value };
}

/** namedVolume makes the mount of a volume declared at the top level, or reports it undeclared. */
function namedVolume(ctx: LoadContext, at: unknown, path: string, name: string, target: string, readOnly: boolean): MountSpec | undefined {
  const declared = ctx.resources.volumes.get(name);
  if (declared === undefined) {
    ctx.error(at, path, `volume ${quote(name)} is not declared in the top-level volumes`);
    return undefined;
  }
  return { type: 'volume', source: declared.engineName, target, readOnly, ...(declared.external ? { external: true } : {}), ...(declared.labels ? { labels: { ...declared.labels } } : {}) };
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
  const badMode = modes.find((m) => !['ro', 'rw', 'z', 'Z', 'nocopy', 'cached', 'delegated', 'consistent', ...PROPAGATIONS].includes(m));
  if (!target.startsWith('/') || badMode !== undefined) {
    ctx.error(node, path, `invalid volume ${quote(text)} (${SHORT_FORM})`);
    return undefined;
  }
  const options: MountOptions = {};
  for (const m of modes) {
    const propagation = PROPAGATIONS.find((p) => p === m);
    if (propagation !== undefined) options.propagation = propagation;
    else if (m === 'nocopy') options.noCopy = true;
    else if (m === 'cached' || m === 'delegated' || m === 'consistent') ctx.warn(node, path, `mode ${quote(m)}: ${CONSISTENCY}`);
    else if (m !== 'ro' && m !== 'rw') ctx.warn(node, path, `mode ${quote(m)} is not supported yet, ignored`);
  }
  const readOnly = modes.includes('ro');
  if (isPathSource(a)) return { type: 'bind', source: bindSource(ctx, node, a), target, readOnly, ...only(options, 'propagation', 'bind', ctx, node, path) };
  const mount = namedVolume(ctx, node, path, a, target, readOnly);
  return mount === undefined ? undefined : { ...mount, ...only(options, 'noCopy', 'volume', ctx, node, path) };
}

function readLong(ctx: LoadContext, node: ValueNode, path: string): MountSpec | undefined {
  if (!isMap(node)) return undefined;
  let type: string | undefined;
  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  let sizeBytes: number | undefined;
  let createHostPath: boolean | undefined;
  const options: MountOptions = {};
  for (const e of entriesOf(ctx, node, path)) {
    if (e.key === 'type') type = readString(ctx, e.value, e.path);
    else if (e.key === 'source') source = readString(ctx, e.value, e.path);
    else if (e.key === 'target') target = readString(ctx, e.value, e.path);
    else if (e.key === 'read_only') readOnly = readBoolean(ctx, e.value, e.path) ?? false;
    else if (e.key === 'tmpfs' && isMap(e.value)) {
      for (const o of entriesOf(ctx, e.value, e.path)) {
        if (o.key === 'size') sizeBytes = readBytes(ctx, o.value, o.path);
        else if (o.key === 'mode') options.mode = readMode(ctx, o.value, o.path);
        else warnUnsupported(ctx, o);
      }
    } else if (e.key === 'bind' && isMap(e.value)) {
      for (const o of entriesOf(ctx, e.value, e.path)) {
        if (o.key === 'create_host_path') createHostPath = readBoolean(ctx, o.value, o.path);
        else if (o.key === 'propagation') options.propagation = readPropagation(ctx, o.value, o.path);
        else warnUnsupported(ctx, o);
      }
    } else if (e.key === 'volume' && isMap(e.value)) {
      for (const o of entriesOf(ctx, e.value, e.path)) {
        if (o.key === 'nocopy') options.noCopy = readBoolean(ctx, o.value, o.path);
        else warnUnsupported(ctx, o);
      }
    } else if (e.key === 'consistency') ctx.warn(e.keyNode, e.path, CONSISTENCY);
    else if (!e.key.startsWith('x-') && !isNull(e.value)) warnUnsupported(ctx, e);
  }
  if (target === undefined || !target.startsWith('/')) {
    ctx.error(node, path, `target must be an absolute path, got ${target === undefined ? 'none' : quote(target)}`);
    return undefined;
  }
  if (type === 'tmpfs') return { type: 'tmpfs', source: '', target, readOnly, ...(sizeBytes === undefined ? {} : { sizeBytes }), ...only(options, 'mode', type, ctx, node, path) };
  if (type === 'bind') {
    if (source === undefined) {
      ctx.error(node, path, 'a bind mount needs a source path');
      return undefined;
    }
    return { type: 'bind', source: bindSource(ctx, node, source), target, readOnly, ...(createHostPath === false ? { createHostPath } : {}), ...only(options, 'propagation', type, ctx, node, path) };
  }
  if (type === 'volume') {
    const mount = source === undefined || source === '' ? { type: 'volume' as const, source: '', target, readOnly } : namedVolume(ctx, node, path, source, target, readOnly);
    return mount === undefined ? undefined : { ...mount, ...only(options, 'noCopy', type, ctx, node, path) };
  }
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
