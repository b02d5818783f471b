import { applyEndpointDelta, type PortSpec, type RegistryEndpoint, type RegistryEntry } from '@cluster/core';
import type { Endpoint__Output, RegistryUpdate__Output, ServiceEntry__Output } from '@cluster/api';

/**
 * RegistryView is an agent's copy of the manager's service registry, built
 * from the FULL snapshot of each session and the INCREMENTAL updates after it
 * (whole services, endpoint changes of the others, removed services).
 */
export class RegistryView {
  private readonly entries = new Map<string, RegistryEntry>();
  private readonly listeners: (() => void)[] = [];
  /** version increases on every applied update. */
  version = 0;

  /** apply takes an update from the session. */
  apply(u: RegistryUpdate__Output): void {
    if (u.type === 'FULL') this.entries.clear();
    for (const s of u.services) this.entries.set(s.name, entryFromApi(s));
    for (const c of u.endpointChanges ?? []) {
      const e = this.entries.get(c.service);
      if (e) this.entries.set(c.service, { ...e, endpoints: applyEndpointDelta(e.endpoints, c.upserted.map(endpointFromApi), c.removed) });
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
  };
}
