/**
 * Addresses of this host's network namespace that the agent serves on: the
 * DNS address and the VIPs of services as /32 addresses on the loopback
 * device, the range of task addresses as one local route on it, so that traffic a container sends to them (through its bridge
 * gateway) is delivered to the agent's own sockets.
 */
import { execFile } from 'node:child_process';

/** LocalAddresses adds and removes /32 addresses on one device with `ip`. */
export class LocalAddresses {
  private readonly device: string;
  private readonly added = new Set<string>();
  private readonly ranges = new Set<string>();

  /** @param device the device to put addresses on. @default "lo" */
  constructor(device = 'lo') {
    this.device = device;
  }

  /** add puts an address on the device; one already there is fine. */
  async add(address: string): Promise<void> {
    if (this.added.has(address)) return;
    // replace adds the address, or keeps it when it is there already: no error text to tell apart.
    await ip(['addr', 'replace', `${address}/32`, 'dev', this.device]);
    this.added.add(address);
  }

  /** remove takes an address this object added off the device. */
  async remove(address: string): Promise<void> {
    if (!this.added.delete(address)) return;
    await ip(['addr', 'del', `${address}/32`, 'dev', this.device]).catch(() => undefined);
  }

  /**
   * addRange makes every address of a range local at once (a route of type
   * local on the device, in the local table): sockets bind to any of them
   * with no address added one by one, and a connection to one nobody
   * listens on is refused at once instead of leaving the host.
   */
  async addRange(cidr: string): Promise<void> {
    await ip(['route', 'replace', 'local', cidr, 'dev', this.device, 'table', 'local']);
    this.ranges.add(cidr);
  }

  /** drop takes an address off the device whoever added it (one a killed agent left); an absent one is fine. */
  async drop(address: string): Promise<void> {
    this.added.delete(address);
    await ip(['addr', 'del', `${address}/32`, 'dev', this.device]).catch(() => undefined);
  }

  /** dropRange removes a local route of a range whoever added it; an absent one is fine. */
  async dropRange(cidr: string): Promise<void> {
    this.ranges.delete(cidr);
    await ip(['route', 'del', 'local', cidr, 'dev', this.device, 'table', 'local']).catch(() => undefined);
  }

  /** clear removes every address and range this object added. */
  async clear(): Promise<void> {
    for (const a of [...this.added]) await this.remove(a);
    for (const r of [...this.ranges]) {
      this.ranges.delete(r);
      await ip(['route', 'del', 'local', r, 'dev', this.device, 'table', 'local']).catch(() => undefined);
    }
  }
}

function ip(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { timeout: 5000 }, (err, _out, stderr) => (err ? reject(new Error(`ip ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve()));
  });
}
