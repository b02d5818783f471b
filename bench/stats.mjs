/**
 * Small pure helpers of the benchmarks: medians, ratios and their text.
 * No I/O, so test/bench/stats.test.ts checks them with plain values.
 */

/** median returns the middle of the numbers (the mean of the two middles for an even count), NaN for none. */
export function median(values) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** summarize reduces samples to their median, min, max and count. */
export function summarize(values) {
  const xs = values.filter((v) => Number.isFinite(v));
  return {
    median: median(xs),
    min: xs.length ? Math.min(...xs) : NaN,
    max: xs.length ? Math.max(...xs) : NaN,
    n: xs.length,
  };
}

/** ratio divides two medians; NaN when either is missing or the divisor is zero. */
export function ratio(ours, theirs) {
  if (!Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0) return NaN;
  return ours / theirs;
}

/** fmtMs writes a duration: "850 ms" below 10 s, else "12.3 s"; "n/a" when missing. */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms < 10000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** fmtRatio writes a ratio as "0.42×"; "n/a" when missing. */
export function fmtRatio(r) {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : 'n/a';
}

/** fmtBytes writes a byte count in KiB below 1 MiB, else MiB. */
export function fmtBytes(b) {
  if (!Number.isFinite(b)) return 'n/a';
  return Math.abs(b) < 1024 * 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${(b / 1024 / 1024).toFixed(1)} MiB`;
}

/** verdict says whether a measured value meets a target: "met", "not met", or "n/a" when unmeasured. */
export function verdict(value, target, lowerIsBetter = true) {
  if (!Number.isFinite(value)) return 'n/a';
  return (lowerIsBetter ? value <= target : value >= target) ? 'met' : 'not met';
}

/** table renders rows as a Markdown table. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
