/**
 * Pure name resolution of the agent's DNS: which addresses a name has for a
 * container of a given stack. A stack only ever sees its own services.
 */
import type { RegistryEntry } from '@cluster/core';

/** NameAnswer is what the cluster knows of a name: addresses, or that it is not a name at all (nxdomain). */
export type NameAnswer = { kind: 'addresses'; addresses: string[] } | { kind: 'nxdomain' } | { kind: 'forward' };

/**
 * lookupName resolves `qname` for a container of `stack` ('' when the asker
 * is not a container of any stack):
 * - `service`, `service.stack`, `stack_service` and aliases: the service's VIP;
 * - `tasks.service`, `tasks.service.stack`: the node address of every serving task;
 * - other single-label names, `tasks.*` and names under a stack's name: nxdomain
 *   (never asked of the host's resolvers, so other stacks' names do not leak out);
 * - everything else: forward to the host's resolvers.
 */
export function lookupName(entries: Iterable<RegistryEntry>, stack: string, qname: string): NameAnswer {
  const name = qname.toLowerCase().replace(/\.$/, '');
  if (name === '') return { kind: 'forward' };
  const labels = name.split('.');
  const stacks = new Set<string>();
  const mine: RegistryEntry[] = [];
  for (const e of entries) {
    stacks.add(e.stack);
    if (stack !== '' && e.stack === stack) mine.push(e);
  }
  let tasks = false;
  let rest = labels;
  if (labels[0] === 'tasks' && labels.length > 1) {
    tasks = true;
    rest = labels.slice(1);
  }
  // `service.stack` is the service in the asker's own stack only.
  if (rest.length === 2 && rest[1] === stack) rest = rest.slice(0, 1);
  if (rest.length === 1) {
    const label = rest[0]!;
    const e = mine.find((m) => m.shortName === label || m.name === label || m.aliases.includes(label));
    if (e) {
      if (tasks) return { kind: 'addresses', addresses: [...new Set(e.endpoints.map((ep) => ep.nodeAddress))] };
      return e.vip ? { kind: 'addresses', addresses: [e.vip] } : { kind: 'nxdomain' };
    }
  }
  if (labels.length === 1 || tasks || stacks.has(labels[labels.length - 1]!)) return { kind: 'nxdomain' };
  return { kind: 'forward' };
}
