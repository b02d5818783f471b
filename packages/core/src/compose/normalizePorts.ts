import { isMap, isScalar, isSeq } from 'yaml';
import type { YAMLMap } from 'yaml';
import type { PortSpec } from '../model.js';
import type { LoadContext, ValueNode } from './context.js';
import { describe, entriesOf, indexPath, parseInteger, quote, readString, scalarText, warnUnsupported } from './nodes.js';

/** PortOrigin says where a normalized port was written, for problems found later (a port used twice). */
export interface PortOrigin {
  path: string;
  node: ValueNode;
}

/** NormalizedPorts are the ports of a service and, for each, where it was written. */
export interface NormalizedPorts {
  ports: PortSpec[];
  origins: PortOrigin[];
}

const PORT_RULE = { min: 1, max: 65535 };
const SHORT_FORM = 'like "80", "8080:80", "8080:80/udp" or "127.0.0.1:8080:80"';

/**
 * normalizePorts reads `ports`: a list of short entries ("8080:80/udp",
 * ranges "8000-8001:80-81") or long mappings {target, published, protocol, mode}.
 */
export function normalizePorts(ctx: LoadContext, node: ValueNode | undefined, path: string): NormalizedPorts {
  const out: NormalizedPorts = { ports: [], origins: [] };
  if (!isSeq(node)) {
    ctx.error(node, path, `expected a list of ports, got ${describe(node)}`);
    return out;
  }
  node.items.forEach((raw, i) => {
    const item = ctx.resolve(raw);
    const itemPath = indexPath(path, i);
    let ports: PortSpec[] = [];
    if (isMap(item)) ports = longPort(ctx, item, itemPath);
    else if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')) {
      ports = shortPorts(ctx, item, itemPath, scalarText(item) ?? '');
    } else ctx.error(item ?? raw, itemPath, `expected a port (${SHORT_FORM}) or a mapping with target, got ${describe(item)}`);
    for (const p of ports) {
      out.ports.push(p);
      out.origins.push({ path: itemPath, node: item as ValueNode });
    }
  });
  return out;
}

/** parseRange reads "80" or "8000-8010" as [first, last]; undefined after reporting a problem. */
function parseRange(ctx: LoadContext, node: ValueNode, path: string, text: string): [number, number] | undefined {
  const [from = '', to, extra] = text.split('-');
  if (extra !== undefined) {
    ctx.error(node, path, `invalid port range ${quote(text)} (like "8000-8010")`);
    return undefined;
  }
  const first = parseInteger(from, PORT_RULE);
  const last = to === undefined ? first : parseInteger(to, PORT_RULE);
  if (first === undefined || last === undefined) {
    const bad = first === undefined ? from : (to ?? '');
    ctx.error(node, path, `invalid port ${quote(bad)} (1-65535)`);
    return undefined;
  }
  if (last < first) {
    ctx.error(node, path, `invalid port range ${quote(text)} (the first port must not be above the last)`);
    return undefined;
  }
  return [first, last];
}

function parseProtocol(ctx: LoadContext, node: ValueNode, path: string, text: string): PortSpec['protocol'] | undefined {
  const p = text.toLowerCase();
  if (p === 'tcp' || p === 'udp') return p;
  ctx.error(node, path, `invalid protocol ${quote(text)} (tcp or udp)`);
  return undefined;
}

/**
 * hostIpHonoured accepts a port's host IP that means every address (what a
 * published port does) and refuses any other with an error: the routing
 * mesh listens on every address of every node, and a port in mode host on
 * every address of its task's node, so `127.0.0.1:9229:9229` would be open
 * to the network. Binding one address is refused rather than done: the
 * address would have to travel with the port through the registry to every
 * node's listeners, the kernel path and the firewall, and an address other
 * than loopback exists on one node only.
 */
function hostIpHonoured(ctx: LoadContext, at: unknown, path: string, ip: string): boolean {
  if (ip === '0.0.0.0' || ip === '::' || ip === '') return true;
  ctx.error(at, path, `host ip ${quote(ip)} is not supported: a published port listens on every address of every node (or, with mode host, of its task's node); remove the address, or do not publish the port: containers of the stack reach it by the service name without ports`);
  return false;
}

/** shortPorts reads one short entry: [[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL], either port may be a range. */
function shortPorts(ctx: LoadContext, node: ValueNode, path: string, text: string): PortSpec[] {
  let rest = text.trim();
  let protocol: PortSpec['protocol'] = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const p = parseProtocol(ctx, node, path, rest.slice(slash + 1));
    if (p === undefined) return [];
    protocol = p;
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']:');
    if (end < 0) {
      ctx.error(node, path, `invalid port mapping ${quote(text)} (${SHORT_FORM})`);
      return [];
    }
    hostIp = rest.slice(1, end);
    rest = rest.slice(end + 2);
  }
  const parts = rest.split(':');
  if (hostIp === undefined && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2 || (hostIp !== undefined && parts.length !== 2)) {
    ctx.error(node, path, `invalid port mapping ${quote(text)} (${SHORT_FORM})`);
    return [];
  }
  const targetText = parts.pop() ?? '';
  const publishedText = parts.pop() ?? '';
  if (hostIp !== undefined && !hostIpHonoured(ctx, node, path, hostIp)) return [];
  const target = parseRange(ctx, node, path, targetText);
  const published = publishedText === '' ? undefined : parseRange(ctx, node, path, publishedText);
  if (target === undefined || (publishedText !== '' && published === undefined)) return [];
  const count = target[1] - target[0] + 1;
  if (published !== undefined && published[1] - published[0] + 1 !== count) {
    ctx.error(node, path, `invalid port mapping ${quote(text)} (the published and target ranges must have the same length)`);
    return [];
  }
  const ports: PortSpec[] = [];
  for (let k = 0; k < count; k++) {
    ports.push({ target: target[0] + k, published: published === undefined ? 0 : published[0] + k, protocol, mode: 'ingress' });
  }
  return ports;
}

/** longPort reads the long syntax {target, published, protocol, mode}. */
function longPort(ctx: LoadContext, map: YAMLMap, path: string): PortSpec[] {
  const port: PortSpec = { target: 0, published: 0, protocol: 'tcp', mode: 'ingress' };
  let ok = true;
  let hasTarget = false;
  const readPort = (node: ValueNode | undefined, at: string, allowEmpty: boolean): number | undefined => {
    const text = scalarText(node);
    if (allowEmpty && (text === '' || (isScalar(node) && node.value === null))) return 0;
    const n = text === undefined ? undefined : parseInteger(text, PORT_RULE);
    if (n === undefined) {
      ctx.error(node ?? map, at, `invalid port ${text === undefined ? `(${describe(node)})` : quote(text)} (1-65535)`);
      ok = false;
    }
    return n;
  };
  for (const e of entriesOf(ctx, map, path)) {
    switch (e.key) {
      case 'target':
        hasTarget = true;
        port.target = readPort(e.value, e.path, false) ?? 0;
        break;
      case 'published':
        port.published = readPort(e.value, e.path, true) ?? 0;
        break;
      case 'protocol': {
        const text = readString(ctx, e.value, e.path, { expected: 'tcp or udp' });
        const p = text === undefined ? undefined : parseProtocol(ctx, e.value as ValueNode, e.path, text);
        if (p === undefined) ok = false;
        else port.protocol = p;
        break;
      }
      case 'mode': {
        const text = readString(ctx, e.value, e.path, { expected: 'ingress or host' });
        if (text === 'ingress' || text === 'host') port.mode = text;
        else {
          if (text !== undefined) ctx.error(e.value, e.path, `invalid mode ${quote(text)} (ingress or host)`);
          ok = false;
        }
        break;
      }
      case 'host_ip':
        if (!hostIpHonoured(ctx, e.value, e.path, scalarText(e.value) ?? '')) ok = false;
        break;
      default:
        warnUnsupported(ctx, e);
    }
  }
  if (!hasTarget) {
    ctx.error(map, path, 'target is required (the container port, 1-65535)');
    ok = false;
  }
  return ok ? [port] : [];
}
