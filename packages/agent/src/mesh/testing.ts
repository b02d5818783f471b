import type { RegistryEntry } from '@cluster/core';

// Registry views for the unit tests of the isolation rules and the firewall.

/** entry makes a registry entry of a service named stack_name. */
export const entry = (name: string, extra: Partial<RegistryEntry>): RegistryEntry => ({
  name, stack: name.split('_')[0] ?? '', shortName: name, vip: '10.233.0.2', ports: [], endpoints: [], aliases: [], ...extra,
});

/** view holds task ports of this node ("me") and another, a UDP port, and a `mode: host` port. */
export const view: RegistryEntry[] = [
  entry('a_web', {
    ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }],
    endpoints: [
      { taskId: 't1', nodeId: 'me', nodeAddress: '10.0.0.1', slot: 1, ports: [{ target: 80, protocol: 'tcp', hostPort: 33001 }] },
      { taskId: 't2', nodeId: 'other', nodeAddress: '10.0.0.2', slot: 2, ports: [{ target: 80, protocol: 'tcp', hostPort: 33001 }] },
    ],
  }),
  entry('a_dns', {
    ports: [{ target: 53, published: 0, protocol: 'udp', mode: 'ingress' }],
    endpoints: [{ taskId: 't3', nodeId: 'other', nodeAddress: '10.0.0.2', slot: 1, ports: [{ target: 53, protocol: 'udp', hostPort: 40000 }] }],
  }),
  // A `mode: host` port is public: its host port stays open; the other target port of the task is not.
  entry('b_edge', {
    ports: [{ target: 80, published: 9000, protocol: 'tcp', mode: 'host' }, { target: 81, published: 0, protocol: 'tcp', mode: 'ingress' }],
    endpoints: [{ taskId: 't4', nodeId: 'me', nodeAddress: '10.0.0.1', slot: 1, ports: [{ target: 80, protocol: 'tcp', hostPort: 9000 }, { target: 81, protocol: 'tcp', hostPort: 33002 }] }],
  }),
];
