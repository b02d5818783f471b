import { clipText, escapeControl } from '@cluster/core';

/** CELL_MAX is the most characters a table cell shows (`--format json` has the whole value). */
export const CELL_MAX = 200;

/**
 * shown makes text from the manager or a node safe to print inside a line:
 * control characters (ESC, BEL, CR, LF, other C0 and C1, DEL) and Unicode
 * overrides written as visible escapes, clipped to `max` characters.
 */
export function shown(text: string, max = CELL_MAX): string {
  return clipText(escapeControl(text), max);
}

/**
 * table renders rows as aligned columns under a header. Every cell is
 * shown (escaped and clipped): cells carry what nodes said (addresses,
 * engine versions, task errors), and a terminal must act on none of it.
 */
export function table(header: string[], raw: string[][]): string {
  const rows = raw.map((r) => r.map((c) => shown(c)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('   ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** JSON_RAW are the characters JSON.stringify leaves raw that a terminal may act on (DEL, C1, Unicode separators and overrides). */
const JSON_RAW = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** json renders a listing for --format json; every control character is a JSON escape, so the text is inert on a terminal and decodes the same. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}

/** checkFormat validates --format. */
export function checkFormat(format: string | undefined): 'table' | 'json' {
  if (format === undefined || format === 'table') return 'table';
  if (format === 'json') return 'json';
  throw new Error(`--format: unknown format "${format}" (table or json)`);
}

/** ago renders a duration since `ms` for people. */
export function ago(ms: number, now: number): string {
  if (!ms) return '-';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  return `${Math.round(s / 3600)}h ago`;
}
