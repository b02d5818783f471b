const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000_001 };
const PART_RE = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/;

/**
 * parseDuration reads a Compose (Go) duration such as "5s", "1m30s", "1.5h" or
 * "500ms" and returns whole milliseconds (rounded); "0" is zero. Anything
 * else, including a bare number or a negative duration, gives undefined.
 */
export function parseDuration(text: string): number | undefined {
  let rest = text.trim();
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest !== '') {
    const m = PART_RE.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
    rest = rest.slice(m[0].length);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/**
 * parseTimeout reads a timeout given on a command line or in the environment:
 * a duration as parseDuration reads it ("90s", "2m", "1500ms", "1m30s"), or a
 * bare number of seconds ("90", "1.5"). It returns whole milliseconds, or
 * undefined for anything else; the caller names the flag in its error.
 */
export function parseTimeout(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^(\d+(?:\.\d*)?|\.\d+)$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  return parseDuration(trimmed);
}
