/**
 * Service keys that set how the container runs on its host: init,
 * privileged, capabilities, ulimits, sysctls, shm_size, extra_hosts, dns and
 * expose. Each reads one key into the draft's spec.
 */
import { isMap, isScalar } from 'yaml';
import type { Ulimit } from '../serviceOptions.js';
import type { LoadContext, ValueNode } from './context.js';
import { describe, entriesOf, quote, readBoolean, readInteger, readStringList, scalarText } from './nodes.js';
import { normalizeKeyValues } from './normalizeKeyValues.js';
import { parseBytes } from './parseBytes.js';
import type { KeyNormalizer } from './ServiceDraft.js';

/** readBytes reads "512m" or a number of bytes. */
export function readBytes(ctx: LoadContext, node: ValueNode | undefined, path: string): number | undefined {
  const text = scalarText(node);
  const n = text === undefined ? undefined : parseBytes(text);
  if (n !== undefined) return n;
  ctx.error(node, path, `invalid size ${text === undefined ? `(${describe(node)})` : quote(text)} (bytes, or a number with b, k, m or g such as "512m")`);
  return undefined;
}

/** readStringOrList reads a string or a list of strings (`dns: 1.1.1.1` or `dns: [a, b]`). */
export function readStringOrList(ctx: LoadContext, node: ValueNode | undefined, path: string): string[] | undefined {
  const text = isScalar(node) ? scalarText(node) : undefined;
  return text !== undefined ? [text] : readStringList(ctx, node, path);
}

const CAP_RE = /^(CAP_)?[A-Z_]+$|^ALL$/i;
const IP_RE = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)$/i;

function capabilities(field: 'capAdd' | 'capDrop'): KeyNormalizer {
  return (ctx, e, draft) => {
    const caps = readStringList(ctx, e.value, e.path);
    if (caps === undefined) return;
    const bad = caps.find((c) => !CAP_RE.test(c));
    if (bad !== undefined) ctx.error(e.value, e.path, `invalid capability ${quote(bad)} (like NET_ADMIN or ALL)`);
    else draft.spec[field] = caps.map((c) => c.toUpperCase().replace(/^CAP_/, ''));
  };
}

function readUlimit(ctx: LoadContext, node: ValueNode | undefined, path: string): Ulimit | undefined {
  const rule = { name: 'ulimit', min: -1, expected: 'an integer, or -1 for unlimited' };
  if (!isMap(node)) {
    const n = readInteger(ctx, node, path, rule);
    return n === undefined ? undefined : { soft: n, hard: n };
  }
  let soft: number | undefined;
  let hard: number | undefined;
  for (const k of entriesOf(ctx, node, path)) {
    if (k.key === 'soft') soft = readInteger(ctx, k.value, k.path, rule);
    else if (k.key === 'hard') hard = readInteger(ctx, k.value, k.path, rule);
  }
  if (soft === undefined || hard === undefined) return undefined;
  if (hard !== -1 && (soft === -1 || soft > hard)) ctx.error(node, path, `soft ${soft} is above hard ${hard}`);
  return { soft, hard };
}

/** HOST_KEYS maps the host-level service keys to their normalizers. */
export const HOST_KEYS: [string, KeyNormalizer][] = [
  ['init', (ctx, e, draft) => {
    const b = readBoolean(ctx, e.value, e.path);
    if (b !== undefined) draft.spec.init = b;
  }],
  ['privileged', (ctx, e, draft) => {
    const b = readBoolean(ctx, e.value, e.path);
    if (b !== undefined) draft.spec.privileged = b;
  }],
  ['cap_add', capabilities('capAdd')],
  ['cap_drop', capabilities('capDrop')],
  ['ulimits', (ctx, e, draft) => {
    if (!isMap(e.value)) return;
    const out: Record<string, Ulimit> = {};
    for (const k of entriesOf(ctx, e.value, e.path)) {
      const u = readUlimit(ctx, k.value, k.path);
      if (u !== undefined) out[k.key] = u;
    }
    draft.spec.ulimits = out;
  }],
  ['sysctls', (ctx, e, draft) => {
    draft.spec.sysctls = normalizeKeyValues(ctx, e.value, e.path, () => '');
  }],
  ['shm_size', (ctx, e, draft) => {
    const n = readBytes(ctx, e.value, e.path);
    if (n !== undefined) draft.spec.shmSizeBytes = n;
  }],
  ['extra_hosts', (ctx, e, draft) => {
    // Both forms become "name:address"; a list item may use "=" or ":" (the first ":" when the address is IPv4).
    const hosts: string[] = [];
    const add = (name: string, address: string, at: unknown, path: string): void => {
      const ip = address.replace(/^\[(.*)\]$/, '$1');
      if (name === '' || !(IP_RE.test(ip) || ip === 'host-gateway')) ctx.error(at, path, `invalid extra host ${quote(`${name}:${address}`)} (a name and an IP address, "name=1.2.3.4")`);
      else hosts.push(`${name}:${ip}`);
    };
    if (isMap(e.value)) {
      for (const k of entriesOf(ctx, e.value, e.path)) {
        const v = readStringOrList(ctx, k.value, k.path) ?? [];
        for (const a of v) add(k.key, a, k.value, k.path);
      }
    } else {
      const items = readStringList(ctx, e.value, e.path) ?? [];
      items.forEach((text, i) => {
        const eq = text.indexOf('=');
        const at = eq >= 0 ? eq : text.indexOf(':');
        add(at < 0 ? '' : text.slice(0, at), at < 0 ? text : text.slice(at + 1), e.value, `${e.path}[${i}]`);
      });
    }
    draft.spec.extraHosts = hosts;
  }],
  ['dns', (ctx, e, draft) => {
    const list = readStringOrList(ctx, e.value, e.path);
    if (list === undefined) return;
    const bad = list.find((a) => !IP_RE.test(a));
    if (bad !== undefined) ctx.error(e.value, e.path, `invalid dns server ${quote(bad)} (an IP address)`);
    else draft.spec.dns = list;
  }],
  ['expose', (ctx, e, draft) => {
    const list = readStringList(ctx, e.value, e.path);
    if (list === undefined) return;
    const out: string[] = [];
    for (const text of list) {
      const m = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp))?$/.exec(text);
      const from = Number(m?.[1]);
      const to = m?.[2] === undefined ? from : Number(m[2]);
      if (!m || from < 1 || to > 65535 || to < from) {
        ctx.error(e.value, e.path, `invalid expose ${quote(text)} (a port or range 1-65535, optionally "/tcp" or "/udp")`);
        continue;
      }
      for (let p = from; p <= to; p++) out.push(`${p}/${m[3] ?? 'tcp'}`);
    }
    draft.spec.expose = out;
  }],
];
