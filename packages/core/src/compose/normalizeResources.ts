/**
 * The top-level `networks`, `volumes`, `secrets` and `configs` of a stack:
 * what services may refer to, with engine names scoped by the stack.
 */
import { Buffer } from 'node:buffer';
import { isMap } from 'yaml';
import type { LoadContext } from './context.js';
import { type Entry, entriesOf, isNull, quote, readBoolean, readString, warnUnsupported } from './nodes.js';
import { normalizeKeyValues } from './normalizeKeyValues.js';
import { relativeTo } from './resolveExtends.js';
import type { FileSource, Resource, StackResources } from './StackResources.js';
import { EXTERNAL_NAME_RE } from '../model.js';

/** readResource reads one network or volume definition (`{}`, `external: true`, `name: x`). */
function readResource(ctx: LoadContext, stack: string, e: Entry): Resource {
  const own: Resource = { engineName: `${stack}_${e.key}`, external: false };
  const isVolume = e.path.startsWith('volumes');
  if (isNull(e.value) || !isMap(e.value)) return own;
  let name: string | undefined;
  for (const k of entriesOf(ctx, e.value, e.path)) {
    if (k.key === 'external') own.external = readBoolean(ctx, k.value, k.path) ?? false;
    else if (k.key === 'name') name = readString(ctx, k.value, k.path);
    else if (k.key === 'labels') {
      const labels = normalizeKeyValues(ctx, k.value, k.path, () => '');
      if (Object.keys(labels).length > 0) own.labels = labels;
    }
    else if (k.key.startsWith('x-')) continue;
    else if (k.key === 'driver' && readString(ctx, k.value, k.path) === (isVolume ? 'local' : 'bridge')) continue;
    else warnUnsupported(ctx, k);
  }
  if (name !== undefined) own.engineName = name;
  else if (own.external) own.engineName = e.key;
  return own;
}

/** contentOf reads the content a secret's or config's source key gives, as base64. */
function contentOf(ctx: LoadContext, k: Entry, kind: 'secret' | 'config'): string | undefined {
  if (k.key === 'file') {
    const file = readString(ctx, k.value, k.path);
    if (file === undefined) return undefined;
    const path = relativeTo(ctx, k.value, file);
    // Read as bytes: a binary secret (a keystore, a DER certificate) must reach the container unchanged.
    const bytes = ctx.readBytes(path);
    if (bytes === undefined) ctx.error(k.value, k.path, `cannot read ${kind} file ${quote(path)} (no such file)`);
    return bytes === undefined ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  }
  if (k.key === 'environment') {
    const name = readString(ctx, k.value, k.path);
    if (name === undefined) return undefined;
    const value = ctx.env[name];
    if (value === undefined) ctx.error(k.value, k.path, `variable ${quote(name)} is not set`);
    return value === undefined ? undefined : Buffer.from(value, 'utf8').toString('base64');
  }
  const text = readString(ctx, k.value, k.path);
  return text === undefined ? undefined : Buffer.from(text, 'utf8').toString('base64');
}

/**
 * readFileContent reads a secret or config: `file:` relative to its Compose
 * file, `environment:` or (configs) `content:`; or one made in the cluster
 * (`cluster secret create NAME`), named by `external: true` (the key, or
 * `name:`) or by `name:` alone. Its other keys (labels, drivers) are
 * warnings, not acted on.
 */
function readFileContent(ctx: LoadContext, e: Entry, kind: 'secret' | 'config'): FileSource | undefined {
  if (!isMap(e.value)) return undefined;
  let source: Entry | undefined;
  let external: Entry | undefined;
  let name: { entry: Entry; text: string } | undefined;
  for (const k of entriesOf(ctx, e.value, e.path)) {
    if (k.key === 'file' || k.key === 'environment' || (k.key === 'content' && kind === 'config')) {
      if (source === undefined) source = k;
      else {
        ctx.error(k.keyNode, k.path, `a ${kind} has one source: ${source.key} is given already`);
        return undefined;
      }
    } else if (k.key === 'external') {
      if (readBoolean(ctx, k.value, k.path) === true) external = k;
    } else if (k.key === 'name') {
      const text = readString(ctx, k.value, k.path);
      if (text !== undefined) name = { entry: k, text };
    } else if (!k.key.startsWith('x-')) warnUnsupported(ctx, k);
  }
  const made = `made with cluster ${kind} create`;
  if (external !== undefined && source !== undefined) {
    ctx.error(source.keyNode, source.path, `a ${kind} with external: true has no ${source.key}: its content is the one ${made}`);
    return undefined;
  }
  if (source !== undefined) {
    if (name !== undefined) ctx.warn(name.entry.keyNode, name.entry.path, `not used: this ${kind} comes from its ${source.key}; name: without a source (or with external: true) refers to one ${made}`);
    const data = contentOf(ctx, source, kind);
    return data === undefined ? undefined : { dataBase64: data };
  }
  if (external !== undefined || name !== undefined) {
    const ref = name?.text ?? e.key;
    if (EXTERNAL_NAME_RE.test(ref)) return { external: ref };
    ctx.error(name?.entry.value ?? e.keyNode, name?.entry.path ?? e.path, `invalid ${kind} name ${quote(ref)} (letters, digits, ".", "_" and "-", at most 64, as cluster ${kind} create takes it)`);
    return undefined;
  }
  ctx.error(e.keyNode, e.path, `a ${kind} needs file or environment${kind === 'config' ? ' or content' : ''}, or external: true (or name:) for one ${made}`);
  return undefined;
}

/** normalizeResources reads the top-level keys into res; `entries` are the top-level entries by key. */
export function normalizeResources(ctx: LoadContext, stack: string, entries: Map<string, Entry>, res: StackResources): void {
  const each = (key: string, read: (e: Entry) => void): void => {
    const section = entries.get(key);
    if (section === undefined || isNull(section.value)) return;
    if (!isMap(section.value)) return; // the schema reports the form
    for (const e of entriesOf(ctx, section.value, section.path)) read(e);
  };
  each('networks', (e) => res.networks.set(e.key, readResource(ctx, stack, e)));
  each('volumes', (e) => res.volumes.set(e.key, readResource(ctx, stack, e)));
  each('secrets', (e) => res.secrets.set(e.key, readFileContent(ctx, e, 'secret')));
  each('configs', (e) => res.configs.set(e.key, readFileContent(ctx, e, 'config')));
}
