/**
 * Pure port bindings of a task. Every target port of a service is bound on an
 * ephemeral host port, so the service proxies and the routing mesh of every
 * node can reach the task at its node's address; the agent reports the ports
 * the engine chose. A published port in mode `host` binds its own number on
 * the task's node instead; in mode `ingress` the agent's routing mesh, not
 * the engine, listens on the published port of every node.
 */
import type Dockerode from 'dockerode';
import type { PortMapping, ServiceSpec } from '@cluster/core';

/** PortBinding is one binding in the engine's form. */
export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

/**
 * portBindings returns ExposedPorts and PortBindings for a spec, or undefined
 * without ports. Without the routing mesh (routingMesh false) a published
 * port binds its own number on the task's node, whatever its mode.
 */
export function portBindings(spec: ServiceSpec, routingMesh = true): { exposed: Record<string, object>; bindings: Record<string, PortBinding[]> } | undefined {
  if (spec.ports.length === 0) return undefined;
  const exposed: Record<string, object> = {};
  const bindings: Record<string, PortBinding[]> = {};
  for (const p of spec.ports) {
    const key = `${p.target}/${p.protocol}`;
    exposed[key] = {};
    const hostPort = (p.mode === 'host' || !routingMesh) && p.published > 0 ? String(p.published) : '';
    const list = (bindings[key] ??= []);
    if (!list.some((b) => b.HostPort === hostPort)) list.push({ HostIp: '0.0.0.0', HostPort: hostPort });
  }
  return { exposed, bindings };
}

/** boundPorts reads the host ports the engine bound, one per target port and protocol (IPv4 first). */
export function boundPorts(ports: Dockerode.ContainerInspectInfo['NetworkSettings']['Ports'] | undefined): PortMapping[] {
  const out: PortMapping[] = [];
  for (const [key, list] of Object.entries(ports ?? {})) {
    const [target, protocol] = key.split('/');
    if (!list || list.length === 0 || (protocol !== 'tcp' && protocol !== 'udp')) continue;
    const v4 = list.find((b) => !b.HostIp.includes(':')) ?? list[0];
    const hostPort = Number(v4?.HostPort);
    if (!Number.isInteger(hostPort) || hostPort <= 0) continue;
    out.push({ target: Number(target), protocol, hostPort });
  }
  return out.sort((a, b) => a.target - b.target || a.protocol.localeCompare(b.protocol));
}
