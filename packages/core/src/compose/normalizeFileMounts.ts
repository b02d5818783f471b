/**
 * The service keys `secrets` and `configs`: "name" or {source, target, uid,
 * gid, mode}, naming a top-level secret or config whose content travels with
 * the task to its node, where it is mounted read-only.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { FileMount } from '../serviceOptions.js';
import { describe, entriesOf, indexPath, parseOctalMode, quote, readString, scalarText } from './nodes.js';
import type { KeyNormalizer } from './ServiceDraft.js';

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** fileMounts makes the normalizer of `secrets` or `configs`. */
export function fileMounts(kind: 'secrets' | 'configs'): KeyNormalizer {
  return (ctx, e, draft) => {
    if (!isSeq(e.value)) {
      ctx.error(e.value, e.path, `expected a list of ${kind}, got ${describe(e.value)}`);
      return;
    }
    const out: FileMount[] = [];
    const known = kind === 'secrets' ? ctx.resources.secrets : ctx.resources.configs;
    e.value.items.forEach((raw, i) => {
      const item = ctx.resolve(raw);
      const path = indexPath(e.path, i);
      let source: string | undefined;
      let target: string | undefined;
      let mode = 0o444;
      let uid: string | undefined;
      let gid: string | undefined;
      if (isScalar(item)) source = scalarText(item);
      else if (isMap(item)) {
        for (const k of entriesOf(ctx, item, path)) {
          if (k.key === 'source') source = readString(ctx, k.value, k.path);
          else if (k.key === 'target') target = readString(ctx, k.value, k.path);
          else if (k.key === 'uid') uid = scalarText(k.value);
          else if (k.key === 'gid') gid = scalarText(k.value);
          else if (k.key === 'mode') {
            const text = scalarText(k.value) ?? '';
            const n = parseOctalMode(text);
            if (n !== undefined && n <= 0o777) mode = n;
            else ctx.error(k.value, k.path, `invalid mode ${quote(text)} (an octal file mode such as 0440)`);
          }
        }
      }
      if (source === undefined) {
        ctx.error(item, path, `expected a ${kind.slice(0, -1)} name or {source, target}, got ${describe(item)}`);
        return;
      }
      if (!known.has(source)) {
        ctx.error(item, path, `${kind.slice(0, -1)} ${quote(source)} is not declared in the top-level ${kind}`);
        return;
      }
      const data = known.get(source);
      if (data === undefined) return; // its own problem is reported where it is declared
      const base = kind === 'secrets' ? '/run/secrets/' : '/';
      const file = target ?? source;
      if (!file.startsWith('/') && !NAME_RE.test(file)) {
        ctx.error(item, path, `invalid target ${quote(file)} (an absolute path or a file name)`);
        return;
      }
      // One made in the cluster travels by name: the manager fills in its content when the stack is deployed.
      const content = data.external === undefined ? { dataBase64: data.dataBase64 } : { dataBase64: '', external: data.external };
      out.push({ name: source, target: file.startsWith('/') ? file : `${base}${file}`, ...content, mode, ...(uid === undefined ? {} : { uid }), ...(gid === undefined ? {} : { gid }) });
    });
    draft.spec[kind] = out;
  };
}
