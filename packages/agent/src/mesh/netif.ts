/**
 * Addresses of this host's network namespace that the agent serves on: the
 * DNS address, the VIPs of services and the task addresses, as /32 addresses
 * on the loopback device, so that traffic a container sends to them (through its bridge
 * gateway) is delivered to the agent's own sockets.
 */
import { execFile } from 'node:child_process';

/** LocalAddresses adds and removes /32 addresses on one device with `ip`. */
export class LocalAddresses {
  private readonly device: string;
  private readonly added = new Set<string>();
  private readonly refused = new Set<string>();

  /** @param device the device to put addresses on. @default "lo" */
  constructor(device = 'lo') {
    this.device = device;
  }

  /** add puts an address on the device; one already there is fine. */
  async add(address: string): Promise<void> {
    if (this.added.has(address)) return;
    await ip(['addr', 'add', `${address}/32`, 'dev', this.device]).catch((err: Error) => {
      if (!/File exists/.test(err.message)) throw err;
    });
    this.added.add(address);
  }

  /** remove takes an address this object added off the device. */
  async remove(address: string): Promise<void> {
    if (!this.added.delete(address)) return;
    await ip(['addr', 'del', `${address}/32`, 'dev', this.device]).catch(() => undefined);
  }

  /**
   * refuse makes a range unreachable (a route of type unreachable, beneath
   * the addresses on the device): a packet to an address of it that is not
   * served here is refused at once instead of leaving the host.
   */
  async refuse(cidr: string): Promise<void> {
    await ip(['route', 'replace', 'unreachable', cidr]);
    this.refused.add(cidr);
  }

  /** clear removes every address and route this object added. */
  async clear(): Promise<void> {
    for (const a of [...this.added]) await this.remove(a);
    for (const r of [...this.refused]) {
      this.refused.delete(r);
      await ip(['route', 'del', 'unreachable', r]).catch(() => undefined);
    }
  }
}

function ip(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { timeout: 5000 }, (err, _out, stderr) => (err ? reject(new Error(`ip ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve()));
  });
}
