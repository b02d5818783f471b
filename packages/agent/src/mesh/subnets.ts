/** Pure IPv4 subnet matching, for telling a container's stack by its address. */

/** ipv4ToNumber returns an IPv4 address as an unsigned number, or -1. */
export function ipv4ToNumber(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) return -1;
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) return -1;
    n = n * 256 + v;
  }
  return n;
}

/** inSubnet tells whether `ip` is in the CIDR `subnet` (for example 172.20.0.0/16). */
export function inSubnet(ip: string, subnet: string): boolean {
  const [base, bits] = subnet.split('/');
  const a = ipv4ToNumber(ip);
  const b = ipv4ToNumber(base ?? '');
  const n = Number(bits);
  if (a < 0 || b < 0 || !Number.isInteger(n) || n < 0 || n > 32) return false;
  const size = 2 ** (32 - n);
  return Math.floor(a / size) === Math.floor(b / size);
}

/** StackOfAddress caches subnet -> stack and refreshes (at most every refreshMs) on a miss. */
export class StackOfAddress {
  private subnets: { stack: string; subnet: string }[] = [];
  private lastRefresh = -Infinity;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly list: () => Promise<{ stack: string; subnet: string }[]>,
    private readonly refreshMs = 500,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** lookup returns the stack whose network holds `ip`, or ''. */
  async lookup(ip: string): Promise<string> {
    const hit = this.find(ip);
    if (hit !== undefined) return hit;
    if (this.now() - this.lastRefresh >= this.refreshMs) {
      this.inflight ??= this.list()
        .then((s) => { this.subnets = s; }, () => undefined)
        .finally(() => { this.lastRefresh = this.now(); this.inflight = undefined; });
    }
    if (this.inflight) await this.inflight;
    return this.find(ip) ?? '';
  }

  private find(ip: string): string | undefined {
    return this.subnets.find((s) => inSubnet(ip, s.subnet))?.stack;
  }
}
