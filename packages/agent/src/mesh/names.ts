/**
 * Pure name resolution of the agent's DNS: which addresses a name has for a
 * container of a given stack. A stack sees its own services, and those of
 * other stacks on an external network it joins too (registryScope in core).
 */
import { sharesNetwork, type Asker, type RegistryEntry } from '@cluster/core';

/** NameAnswer is what the cluster knows of a name: addresses, or that it is not a name at all (nxdomain). */
export type NameAnswer = { kind: 'addresses'; addresses: string[] } | { kind: 'nxdomain' } | { kind: 'forward' };

/**
 * lookupName resolves `qname` for a container (`asker`: its stack, '' when
 * the address is no container of a stack, and the networks it is on):
 * - `service`, `service.stack`, `stack_service` and aliases: the service's VIP;
 * - `tasks.service`, `tasks.service.stack`: the task address of every serving
 *   task, one each (for a service without ports, whose tasks have none as
 *   there is nothing to reach them on: the address of every node it serves on);
 * - a service of another stack on an external network the asker is on too:
 *   by `service.stack` and `stack_service`, and by `service` when the asker's
 *   stack has no service of that name (the first such stack by name wins);
 * - other single-label names, `tasks.*` and names under a stack's name: nxdomain
 *   (never asked of the host's resolvers, so other stacks' names do not leak out);
 * - everything else: forward to the host's resolvers.
 */
export function lookupName(entries: Iterable<RegistryEntry>, asker: Asker, qname: string): NameAnswer {
  const name = qname.toLowerCase().replace(/\.$/, '');
  if (name === '') return { kind: 'forward' };
  const labels = name.split('.');
  const stacks = new Set<string>();
  const mine: RegistryEntry[] = [];
  const shared: RegistryEntry[] = [];
  for (const e of entries) {
    stacks.add(e.stack);
    if (asker.stack !== '' && e.stack === asker.stack) mine.push(e);
    else if (sharesNetwork(e, asker)) shared.push(e);
  }
  shared.sort((a, b) => a.name.localeCompare(b.name));
  let tasks = false;
  let rest = labels;
  if (labels[0] === 'tasks' && labels.length > 1) {
    tasks = true;
    rest = labels.slice(1);
  }
  let e: RegistryEntry | undefined;
  if (rest.length === 2) {
    // `service.stack`: the asker's own stack, or one it shares an external network with.
    const [label, stack] = rest as [string, string];
    e = stack === asker.stack ? mine.find((m) => m.shortName === label || m.aliases.includes(label)) : shared.find((m) => m.stack === stack && m.shortName === label);
  } else if (rest.length === 1) {
    const label = rest[0]!;
    e = mine.find((m) => m.shortName === label || m.name === label || m.aliases.includes(label)) ?? shared.find((m) => m.name === label || m.shortName === label);
  }
  if (e) {
    if (tasks || e.endpointMode === 'dnsrr') return { kind: 'addresses', addresses: overlayTaskAddresses(e, asker) ?? taskAddresses(e) };
    return e.vip ? { kind: 'addresses', addresses: [e.vip] } : { kind: 'nxdomain' };
  }
  if (labels.length === 1 || tasks || stacks.has(labels[labels.length - 1]!)) return { kind: 'nxdomain' };
  return { kind: 'forward' };
}

/**
 * overlayTaskAddresses are the answer to `tasks.NAME` over the overlay: each
 * serving task's own address on a network the asker is on (the first such
 * network by name), or undefined when no task has one (tasks of a node
 * without the overlay, an asker on none of the service's networks).
 */
function overlayTaskAddresses(e: RegistryEntry, asker: Asker): string[] | undefined {
  const on = new Set(asker.networks);
  const out: string[] = [];
  for (const ep of e.endpoints) {
    const a = ep.networks?.find((n) => on.has(n.network));
    if (a) out.push(a.address);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * taskAddresses are the answer to `tasks.NAME`: the task address of every
 * serving task; for a service without ports, the address of every node its
 * tasks serve on, once each. A task of a service with ports that has no task
 * address yet (the range is full) is left out.
 */
function taskAddresses(e: RegistryEntry): string[] {
  if (e.ports.length === 0) return [...new Set(e.endpoints.map((ep) => ep.nodeAddress))];
  const out: string[] = [];
  for (const ep of e.endpoints) if (ep.address) out.push(ep.address);
  return out;
}
