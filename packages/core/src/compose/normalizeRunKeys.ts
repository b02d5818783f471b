/**
 * Service keys that change how the container itself runs, passed to the
 * engine of the node that runs each task: read_only, tty, stdin_open,
 * security_opt, devices, ipc, logging, mac_address, runtime, group_add,
 * dns_search, dns_opt, domainname, oom_score_adj and cpu_shares.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { DeviceMapping } from '../serviceOptions.js';
import { describe, entriesOf, indexPath, quote, readBoolean, readInteger, readString, readStringList, scalarText } from './nodes.js';
import { readStringOrList } from './normalizeHostKeys.js';
import { relativeTo } from './resolveExtends.js';
import type { KeyNormalizer } from './ServiceDraft.js';

type FlagField = 'readOnly' | 'tty' | 'stdinOpen';

function flag(field: FlagField): KeyNormalizer {
  return (ctx, e, draft) => {
    const b = readBoolean(ctx, e.value, e.path);
    if (b !== undefined) draft.spec[field] = b;
  };
}

const SECURITY_OPT_RE = /^[a-z][a-z-]*([=:].+)?$/;
const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const RUNTIME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const LOG_DRIVER_RE = /^[A-Za-z0-9][A-Za-z0-9_./:-]*$/;
const PERMISSIONS_RE = /^[rwm]{1,3}$/;

/** readSecurityOpt reads one `security_opt` entry; a seccomp profile file is read here and sent inline, as the docker CLI does. */
const securityOpt: KeyNormalizer = (ctx, e, draft) => {
  const list = readStringList(ctx, e.value, e.path);
  if (list === undefined) return;
  const out: string[] = [];
  list.forEach((text, i) => {
    const path = indexPath(e.path, i);
    if (!SECURITY_OPT_RE.test(text)) {
      ctx.error(e.value, path, `invalid security option ${quote(text)} (like "no-new-privileges:true", "label=disable" or "seccomp=profile.json")`);
      return;
    }
    const m = /^seccomp[=:](.+)$/.exec(text);
    if (m === null || m[1] === 'unconfined' || m[1]?.trimStart().startsWith('{')) {
      out.push(text);
      return;
    }
    // The engine takes the profile's JSON, not a path: the file is on this machine, the task on any node.
    const file = relativeTo(ctx, e.value, m[1] ?? '');
    const json = ctx.readFile(file);
    if (json === undefined) ctx.error(e.value, path, `cannot read seccomp profile ${quote(file)} (no such file)`);
    else out.push(`seccomp=${json}`);
  });
  draft.spec.securityOpt = out;
};

/** devices reads "HOST[:CONTAINER[:PERMISSIONS]]" or {source, target, permissions}. */
const devices: KeyNormalizer = (ctx, e, draft) => {
  if (!isSeq(e.value)) {
    ctx.error(e.value, e.path, `expected a list of devices, got ${describe(e.value)}`);
    return;
  }
  const out: DeviceMapping[] = [];
  e.value.items.forEach((raw, i) => {
    const item = ctx.resolve(raw);
    const path = indexPath(e.path, i);
    let d: Partial<DeviceMapping> = {};
    if (isScalar(item)) {
      const [source, target, permissions] = (scalarText(item) ?? '').split(':');
      d = { source, target, permissions };
    } else if (isMap(item)) {
      for (const k of entriesOf(ctx, item, path)) {
        if (k.key === 'source' || k.key === 'target' || k.key === 'permissions') d[k.key] = readString(ctx, k.value, k.path);
      }
    }
    const source = d.source ?? '';
    const target = d.target === undefined || d.target === '' ? source : d.target;
    const permissions = d.permissions === undefined || d.permissions === '' ? 'rwm' : d.permissions;
    if (!source.startsWith('/') || !target.startsWith('/') || !PERMISSIONS_RE.test(permissions)) {
      ctx.error(item, path, `invalid device ${isScalar(item) ? quote(scalarText(item) ?? '') : `(${describe(item)})`} (a device path on the node, optionally ":/path/in/container" and ":rwm")`);
      return;
    }
    out.push({ source, target, permissions });
  });
  draft.spec.devices = out;
};

/** ipc reads the IPC mode; sharing another service's or container's namespace cannot work across hosts. */
const ipc: KeyNormalizer = (ctx, e, draft) => {
  const text = readString(ctx, e.value, e.path);
  if (text === undefined) return;
  if (text === 'host' || text === 'private' || text === 'shareable' || text === 'none') draft.spec.ipc = text;
  else if (/^(service|container):/.test(text)) ctx.error(e.value, e.path, `${quote(text)} is not supported: the tasks of two services may run on different hosts, which share no IPC namespace (use "host", "private", "shareable" or "none")`);
  else ctx.error(e.value, e.path, `invalid ipc ${quote(text)} (host, private, shareable or none)`);
};

/** logging reads {driver, options}; the engine of each node must have the driver. */
const logging: KeyNormalizer = (ctx, e, draft) => {
  if (!isMap(e.value)) return; // the schema reports the form
  let driver = 'json-file';
  const options: Record<string, string> = {};
  for (const k of entriesOf(ctx, e.value, e.path)) {
    if (k.key === 'driver') {
      const text = readString(ctx, k.value, k.path);
      if (text !== undefined && LOG_DRIVER_RE.test(text)) driver = text;
      else if (text !== undefined) ctx.error(k.value, k.path, `invalid logging driver ${quote(text)} (like "json-file", "local" or "syslog")`);
    } else if (k.key === 'options' && isMap(k.value)) {
      for (const o of entriesOf(ctx, k.value, k.path)) {
        const v = scalarText(o.value);
        if (v !== undefined) options[o.key] = v; // a null option is no option
      }
    }
  }
  draft.spec.logging = { driver, options };
};

const WORD_RE = /^\S+$/;

/** words reads a string or list of strings without blanks into a field. */
function words(field: 'groupAdd' | 'dnsSearch' | 'dnsOptions', expected: string): KeyNormalizer {
  return (ctx, e, draft) => {
    const list = readStringOrList(ctx, e.value, e.path);
    if (list === undefined) return;
    const bad = list.find((w) => !WORD_RE.test(w));
    if (bad !== undefined) ctx.error(e.value, e.path, `invalid ${e.key} ${quote(bad)} (${expected})`);
    else draft.spec[field] = list;
  };
}

/** RUN_KEYS maps the service keys that change how the container runs to their normalizers. */
export const RUN_KEYS: [string, KeyNormalizer][] = [
  ['read_only', flag('readOnly')],
  ['tty', flag('tty')],
  ['stdin_open', flag('stdinOpen')],
  ['security_opt', securityOpt],
  ['devices', devices],
  ['ipc', ipc],
  ['logging', logging],
  ['mac_address', (ctx, e, draft) => {
    const text = readString(ctx, e.value, e.path);
    if (text === undefined) return;
    if (!MAC_RE.test(text)) ctx.error(e.value, e.path, `invalid mac address ${quote(text)} (like "02:42:ac:11:00:02")`);
    else {
      draft.spec.macAddress = text.toLowerCase();
      draft.macAddressEntry = e;
    }
  }],
  ['group_add', words('groupAdd', 'a group name or id')],
  ['dns_search', words('dnsSearch', 'a domain such as example.com')],
  ['dns_opt', words('dnsOptions', 'a resolver option such as ndots:2')],
  ['domainname', (ctx, e, draft) => {
    const text = readString(ctx, e.value, e.path);
    if (text !== undefined && /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(text)) draft.spec.domainname = text;
    else if (text !== undefined) ctx.error(e.value, e.path, `invalid domainname ${quote(text)} (letters, digits, "." and "-")`);
  }],
  ['oom_score_adj', (ctx, e, draft) => {
    const n = readInteger(ctx, e.value, e.path, { name: 'oom_score_adj', min: -1000, max: 1000, expected: '-1000 to 1000' });
    if (n !== undefined) draft.spec.oomScoreAdj = n;
  }],
  ['cpu_shares', (ctx, e, draft) => {
    const n = readInteger(ctx, e.value, e.path, { name: 'cpu_shares', min: 2, max: 262144, expected: 'a weight from 2 to 262144' });
    if (n !== undefined) draft.spec.cpuShares = n;
  }],
  ['runtime', (ctx, e, draft) => {
    const text = readString(ctx, e.value, e.path);
    if (text === undefined) return;
    if (RUNTIME_RE.test(text)) draft.spec.runtime = text;
    else ctx.error(e.value, e.path, `invalid runtime ${quote(text)} (a runtime name the engines know, like "runc")`);
  }],
];
