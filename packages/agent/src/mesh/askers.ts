/**
 * AskerOfAddress tells who a source address is: the stack of the container
 * (from the subnets of the stack networks, stable for a network's life) and
 * the networks the container is on (from the engine's list of containers,
 * which also gives the stack of an address on an external network).
 */
import { NOBODY, type Asker } from '@cluster/core';
import { StackOfAddress } from './subnets.js';

/** AddressOwner is one address of a container of a stack, and the networks that container is on. */
export interface AddressOwner {
  address: string;
  stack: string;
  networks: string[];
}

/** AskerOfAddressOptions configure an AskerOfAddress. */
export interface AskerOfAddressOptions {
  stackSubnets: () => Promise<{ stack: string; subnet: string }[]>;
  /** owners lists the addresses of this node's containers of stacks. @default none: stacks only, no networks */
  owners?: () => Promise<AddressOwner[]>;
  /** refreshMs is the least time between two lists on a miss. @default 500 */
  refreshMs?: number;
  /** maxAgeMs is how old the owners list may be before a lookup refreshes it (an address may change hands). @default 2000 */
  maxAgeMs?: number;
  /** now is the clock intervals are measured on (monotonic: a wall-clock step changes no interval). @default performance.now */
  now?: () => number;
}

/** AskerOfAddress caches address -> asker. */
export class AskerOfAddress {
  private readonly o: AskerOfAddressOptions;
  private readonly now: () => number;
  readonly stacks: StackOfAddress;
  private owners = new Map<string, AddressOwner>();
  private listedAt = -Infinity;
  private inflight: Promise<void> | undefined;

  constructor(o: AskerOfAddressOptions) {
    this.o = o;
    this.now = o.now ?? (() => performance.now());
    this.stacks = new StackOfAddress(o.stackSubnets, o.refreshMs ?? 500, this.now);
  }

  /** lookup returns who `ip` is; NOBODY when it is no container of a stack. */
  async lookup(ip: string): Promise<Asker> {
    const stack = await this.stacks.lookup(ip);
    if (!this.o.owners) return stack === '' ? NOBODY : { stack, networks: [] };
    const age = this.now() - this.listedAt;
    if (age >= (this.o.maxAgeMs ?? 2000) || (!this.owners.has(ip) && age >= (this.o.refreshMs ?? 500))) await this.refresh();
    const owner = this.owners.get(ip);
    // An owner of another stack than the address's network says is a stale entry: trust the network.
    if (owner && (stack === '' || owner.stack === stack)) return { stack: owner.stack, networks: owner.networks };
    return stack === '' ? NOBODY : { stack, networks: [] };
  }

  private refresh(): Promise<void> {
    this.inflight ??= this.o.owners!()
      .then((list) => { this.owners = new Map(list.map((o) => [o.address, o])); }, () => undefined)
      .finally(() => { this.listedAt = this.now(); this.inflight = undefined; });
    return this.inflight;
  }
}
