/**
 * A killed agent leaves its DNS address, its VIPs (/32s on lo) and its task
 * address range (a local route) behind. RecordedAddresses keeps the list of
 * what this node's agent put there in its data dir, so that the next agent
 * started on the same data dir takes off what the last one left and starts
 * clean. Addresses of other agents sharing the namespace are never touched.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { LocalAddresses } from './netif.js';

/** Recorded is what the file holds. */
interface Recorded {
  addresses: string[];
  ranges: string[];
}

/** RecordedAddresses adds and removes local addresses through LocalAddresses and records them in `file`. */
export class RecordedAddresses {
  private readonly addresses = new Set<string>();
  private readonly ranges = new Set<string>();

  constructor(private readonly local: LocalAddresses, private readonly file: string, private readonly log: (msg: string) => void) {}

  /** removeLeftovers takes off what the file says an earlier agent added (it did not stop cleanly) and returns it. */
  async removeLeftovers(): Promise<string[]> {
    const left = readRecorded(this.file);
    for (const a of left.addresses) await this.local.drop(a);
    for (const r of left.ranges) await this.local.dropRange(r);
    this.save();
    const all = [...left.addresses, ...left.ranges];
    if (all.length > 0) this.log(`mesh: removed what an earlier agent left on the loopback device: ${all.join(', ')}`);
    return all;
  }

  async add(address: string): Promise<void> {
    // Recorded first: an agent killed right after the kernel took it still has it on file.
    this.addresses.add(address);
    this.save();
    await this.local.add(address);
  }

  async remove(address: string): Promise<void> {
    await this.local.remove(address);
    this.addresses.delete(address);
    this.save();
  }

  async addRange(cidr: string): Promise<void> {
    this.ranges.add(cidr);
    this.save();
    await this.local.addRange(cidr);
  }

  async clear(): Promise<void> {
    await this.local.clear();
    this.addresses.clear();
    this.ranges.clear();
    this.save();
  }

  private save(): void {
    const body: Recorded = { addresses: [...this.addresses].sort(), ranges: [...this.ranges].sort() };
    try {
      // Written whole, then renamed: never half a list.
      writeFileSync(`${this.file}.tmp`, JSON.stringify(body) + '\n');
      renameSync(`${this.file}.tmp`, this.file);
    } catch (err) {
      this.log(`mesh: cannot record the loopback addresses in ${this.file}: ${(err as Error).message}`);
    }
  }
}

/** readRecorded reads the file; a missing or unreadable one records nothing. */
function readRecorded(file: string): Recorded {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<Recorded>;
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return { addresses: strings(r.addresses), ranges: strings(r.ranges) };
  } catch {
    return { addresses: [], ranges: [] };
  }
}
