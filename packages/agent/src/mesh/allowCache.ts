/**
 * AllowCache remembers, for a short while, which client addresses a
 * listener's allow check let in, so that the next connections or flows of
 * the same client are admitted at once, without asking (and awaiting) the
 * check again. Refusals are not remembered: a client that was refused is
 * asked about again, so a container that has just started is let in as soon
 * as the check knows it.
 */

/** ALLOW_CACHE_MAX bounds the addresses a cache holds; it starts over when full. */
const ALLOW_CACHE_MAX = 4096;

/** AllowCache maps client address -> time until which it is allowed. */
export class AllowCache {
  private readonly until = new Map<string, number>();

  /**
   * @param ttlMs how long an allowed address stays allowed; 0 remembers nothing.
   * @param now the clock (ms).
   */
  constructor(private readonly ttlMs: number, private readonly now: () => number) {}

  /** allowed tells whether `source` was allowed less than ttlMs ago. */
  allowed(source: string): boolean {
    const t = this.until.get(source);
    if (t === undefined) return false;
    if (t > this.now()) return true;
    this.until.delete(source);
    return false;
  }

  /** remember records that `source` was allowed just now. */
  remember(source: string): void {
    if (this.ttlMs <= 0) return;
    if (this.until.size >= ALLOW_CACHE_MAX) this.until.clear();
    this.until.set(source, this.now() + this.ttlMs);
  }
}

/** clientAddress returns a socket's remote address without the IPv4-mapped prefix. */
export function clientAddress(address: string | undefined): string {
  const a = address ?? '';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}
