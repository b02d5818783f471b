import { isIP } from 'node:net';
import { applyEndpointDelta, clipText, escapeControl, type OverlayPeer, type PortSpec, type RegistryEndpoint, type RegistryEntry } from '@cluster/core';
import type { Endpoint__Output, RegistryUpdate__Output, ServiceEntry__Output } from '@cluster/api';

/**
 * RegistryView is an agent's copy of the manager's service registry, built
 * from the FULL snapshot of each session and the INCREMENTAL updates after it
 * (whole services, endpoint changes of the others, removed services).
 */
export class RegistryView {
  private readonly entries = new Map<string, RegistryEntry>();
  private readonly listeners: (() => void)[] = [];
  private readonly log: (msg: string) => void;
  /** peers are the overlay peers (task containers) by task id. */
  readonly peers = new Map<string, OverlayPeer>();
  /** nodeAddresses are the addresses of every node of the cluster, as last sent. */
  nodeAddresses: string[] = [];
  /** version increases on every applied update. */
  version = 0;

  /**
   * log is told of addresses left out of the view (not IP addresses: the
   * manager checks them, and the agent checks again before they reach DNS
   * answers, proxies or netfilter rules). @default nothing is logged
   */
  constructor(o: { log?: (msg: string) => void } = {}) {
    this.log = o.log ?? (() => undefined);
  }

  /** apply takes an update from the session. */
  apply(u: RegistryUpdate__Output): void {
    if (u.type === 'FULL') {
      this.entries.clear();
      this.peers.clear();
    }
    for (const p of u.peers ?? []) this.peers.set(p.taskId, { taskId: p.taskId, nodeAddress: p.nodeAddress, addresses: p.networks.map((n) => ({ network: n.network, address: n.address, mac: n.mac })) });
    for (const id of u.removedPeers ?? []) this.peers.delete(id);
    if (u.nodeAddresses) this.nodeAddresses = [...u.nodeAddresses.addresses];
    for (const s of u.services) this.entries.set(s.name, this.checked(entryFromApi(s)));
    for (const c of u.endpointChanges ?? []) {
      const e = this.entries.get(c.service);
      if (e) this.entries.set(c.service, { ...e, endpoints: applyEndpointDelta(e.endpoints, this.checkedEndpoints(c.service, c.upserted.map(endpointFromApi)), c.removed) });
    }
    for (const name of u.removed) this.entries.delete(name);
    this.version++;
    for (const l of this.listeners) l();
  }

  /** set replaces the whole view (tests, benchmarks). */
  set(entries: RegistryEntry[]): void {
    this.entries.clear();
    for (const e of entries) this.entries.set(e.name, e);
    this.version++;
    for (const l of this.listeners) l();
  }

  /** onChange registers a listener called after every update. */
  onChange(l: () => void): void {
    this.listeners.push(l);
  }

  /** checked returns an entry with a VIP that is not an IPv4 address taken out, and endpoints with bad addresses left out. */
  private checked(e: RegistryEntry): RegistryEntry {
    const vip = e.vip === '' || isIP(e.vip) === 4 ? e.vip : (this.log(`registry: service ${shownText(e.name)}: VIP ${shownText(e.vip)} is not an IPv4 address; left out`), '');
    return { ...e, vip, endpoints: this.checkedEndpoints(e.name, e.endpoints) };
  }

  /** checkedEndpoints leaves out endpoints whose node address is not an IP address or whose task address is not IPv4. */
  private checkedEndpoints(service: string, eps: RegistryEndpoint[]): RegistryEndpoint[] {
    const ok = (ep: RegistryEndpoint): boolean =>
      (ep.nodeAddress === '' || (isIP(ep.nodeAddress) !== 0 && /^[0-9A-Fa-f.:]+$/.test(ep.nodeAddress))) && (ep.address === undefined || isIP(ep.address) === 4);
    if (eps.every(ok)) return eps;
    for (const ep of eps.filter((x) => !ok(x))) {
      this.log(`registry: service ${shownText(service)}: endpoint ${shownText(ep.taskId)} on node address ${shownText(ep.nodeAddress)} (task address ${shownText(ep.address ?? '')}) is not an IP address; left out`);
    }
    return eps.filter(ok);
  }

  all(): RegistryEntry[] {
    return [...this.entries.values()];
  }

  get(name: string): RegistryEntry | undefined {
    return this.entries.get(name);
  }
}

function entryFromApi(s: ServiceEntry__Output): RegistryEntry {
  return {
    name: s.name,
    stack: s.stack,
    shortName: s.shortName,
    vip: s.vip,
    ports: s.ports.map((p) => ({
      target: p.target,
      published: p.published,
      protocol: p.protocol === 'udp' ? 'udp' : 'tcp',
      mode: p.mode === 'host' ? 'host' : 'ingress',
    }) satisfies PortSpec),
    endpoints: s.endpoints.map(endpointFromApi),
    aliases: s.aliases,
    networks: s.networks,
    ...(s.endpointMode === 'dnsrr' ? { endpointMode: 'dnsrr' as const } : {}),
  };
}

function endpointFromApi(e: Endpoint__Output): RegistryEndpoint {
  return {
    taskId: e.taskId,
    nodeId: e.nodeId,
    nodeAddress: e.nodeAddress,
    slot: e.slot,
    ports: e.ports.map((p) => ({ target: p.target, protocol: p.protocol === 'udp' ? 'udp' : 'tcp', hostPort: p.hostPort })),
    ...(e.address ? { address: e.address } : {}),
    ...(e.networks && e.networks.length > 0 ? { networks: e.networks.map((n) => ({ network: n.network, address: n.address, mac: n.mac })) } : {}),
  };
}

/** shownText quotes a value from the wire for a log line: clipped, control characters escaped. */
function shownText(v: string): string {
  return `"${escapeControl(clipText(v, 80))}"`;
}
