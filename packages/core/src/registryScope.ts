/**
 * Which services a container sees: those of its own stack, and those of other
 * stacks that join an external network the container joins too. The agent's
 * DNS and service proxy both decide with `canSee`.
 */
import type { RegistryEntry } from './registry.js';

/** Asker is who sends a query or a connection: a container's stack and the networks it is on. */
export interface Asker {
  /** stack is the container's stack, '' when the address is no container of a stack. */
  stack: string;
  /** networks are the engine names of the networks the container is on. */
  networks: readonly string[];
}

/** NOBODY is the asker of an address that belongs to no container of a stack. */
export const NOBODY: Asker = { stack: '', networks: [] };

/** sharesNetwork tells whether the asker is on one of the service's external networks. */
export function sharesNetwork(e: Pick<RegistryEntry, 'networks'>, asker: Asker): boolean {
  return (e.networks ?? []).some((n) => asker.networks.includes(n));
}

/** canSee tells whether a service is visible to (resolves for, and answers) an asker. */
export function canSee(e: Pick<RegistryEntry, 'stack' | 'networks'>, asker: Asker): boolean {
  if (asker.stack === '' && asker.networks.length === 0) return false;
  return (asker.stack !== '' && e.stack === asker.stack) || sharesNetwork(e, asker);
}
