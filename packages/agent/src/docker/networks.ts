/**
 * The subnets of the stack networks of this node's engine: the agent's DNS
 * and proxies tell a container's stack by its source address.
 */
import type Dockerode from 'dockerode';
import { LABELS } from '@cluster/core';

/** StackSubnet is one IPv4 subnet of a stack's network. */
export interface StackSubnet {
  stack: string;
  subnet: string;
}

/** stackSubnets lists the IPv4 subnets of the networks labelled with a stack. */
export async function stackSubnets(docker: Dockerode): Promise<StackSubnet[]> {
  const nets = await docker.listNetworks({ filters: { label: [LABELS.stack] } });
  const out: StackSubnet[] = [];
  for (const n of nets) {
    const stack = n.Labels?.[LABELS.stack];
    if (!stack) continue;
    for (const c of n.IPAM?.Config ?? []) if (c.Subnet && !c.Subnet.includes(':')) out.push({ stack, subnet: c.Subnet });
  }
  return out;
}

/** bridgeSubnets lists the IPv4 subnets of this engine's bridge networks and their gateways (the gateway defaults to the subnet's first address). */
export async function bridgeSubnets(docker: Dockerode): Promise<{ subnet: string; gateway: string }[]> {
  const nets = await docker.listNetworks({ filters: { driver: ['bridge'] } });
  const out: { subnet: string; gateway: string }[] = [];
  for (const n of nets) {
    for (const c of n.IPAM?.Config ?? []) {
      if (!c.Subnet || c.Subnet.includes(':')) continue;
      out.push({ subnet: c.Subnet, gateway: c.Gateway || firstAddress(c.Subnet) });
    }
  }
  return out;
}

function firstAddress(subnet: string): string {
  const o = (subnet.split('/')[0] ?? '').split('.').map(Number);
  return o.length === 4 ? `${o[0]}.${o[1]}.${o[2]}.${(o[3] ?? 0) + 1}` : '';
}

/** addressOwners lists every IPv4 address of the containers labelled with a stack, with the networks each is on. */
export async function addressOwners(docker: Dockerode): Promise<{ address: string; stack: string; networks: string[] }[]> {
  const list = await docker.listContainers({ filters: { label: [LABELS.stack] } });
  const out: { address: string; stack: string; networks: string[] }[] = [];
  for (const c of list) {
    const stack = c.Labels?.[LABELS.stack];
    const nets = c.NetworkSettings?.Networks ?? {};
    if (!stack) continue;
    const networks = Object.keys(nets).sort();
    for (const n of Object.values(nets)) if (n.IPAddress) out.push({ address: n.IPAddress, stack, networks });
  }
  return out;
}

/** taskAddresses maps each running task container of this engine to its addresses, one per network. */
export async function taskAddresses(docker: Dockerode): Promise<Map<string, string[]>> {
  const list = await docker.listContainers({ filters: { label: [LABELS.task], status: ['running'] } });
  const out = new Map<string, string[]>();
  for (const c of list) {
    const task = c.Labels?.[LABELS.task];
    const nets = c.NetworkSettings?.Networks ?? {};
    const addresses = Object.keys(nets).sort().map((n) => nets[n]?.IPAddress ?? '').filter((a) => a !== '');
    if (task && addresses.length > 0) out.set(task, addresses);
  }
  return out;
}

/** overlayNetworks lists this engine's networks that are part of the overlay (labelled with a VNI), with their bridge devices. */
export async function overlayNetworks(docker: Dockerode): Promise<{ name: string; vni: number; bridge: string }[]> {
  const nets = await docker.listNetworks({ filters: { label: ['cluster.overlay.vni'] } });
  return nets.map((n) => ({
    name: n.Name,
    vni: Number(n.Labels?.['cluster.overlay.vni']),
    bridge: n.Options?.['com.docker.network.bridge.name'] ?? `br-${n.Id.slice(0, 12)}`,
  }));
}
