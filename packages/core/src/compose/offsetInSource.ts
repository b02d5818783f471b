/**
 * Where a character of a scalar's value is in the file: a problem found at
 * an offset of the value (a variable, an unterminated quote) is shown at
 * that character, also inside a block scalar (`|`, `>`), not at the start
 * of the value.
 */
import type { Scalar } from 'yaml';

/**
 * offsetInSource is the offset, from the start of the scalar's source, of
 * the character at `offset` of `value` (the scalar's value as read), or
 * undefined when it cannot be told (escapes of a double-quoted scalar).
 */
export function offsetInSource(text: string, node: Pick<Scalar, 'range' | 'type'>, value: string, offset: number): number | undefined {
  const shift = sourceShift(text, node.range, node.type, value);
  return shift === undefined ? foldedOffset(text, node.range, node.type, value, offset) : shift + offset;
}

/** spansLines tells whether a scalar is written over several lines (a block scalar, or a folded plain or quoted one). */
export function spansLines(text: string, node: Pick<Scalar, 'range'>): boolean {
  const r = node.range;
  return r !== null && r !== undefined && text.slice(r[0], r[1]).includes('\n');
}

/**
 * foldedOffset is where the character at `offset` of a scalar's value is in
 * its source when the two differ: a block scalar (`|` or `>`) whose lines
 * are indented (and, folded, joined by spaces), or a plain or quoted scalar
 * folded over several lines: the same run of characters up to the next
 * blank, found as many times in the source as in the value before it.
 */
function foldedOffset(text: string, range: readonly number[] | null | undefined, type: string | undefined, value: string, offset: number): number | undefined {
  if (!range || range[0] === undefined || range[1] === undefined) return undefined;
  const block = type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED';
  const raw = text.slice(range[0], range[1]);
  // A one-line scalar that differs from its value has escapes: its start is shown.
  if (!block && !raw.includes('\n')) return undefined;
  const token = /^\S+/.exec(value.slice(offset))?.[0];
  if (token === undefined) return undefined;
  let before = 0;
  for (let i = value.indexOf(token); i >= 0 && i < offset; i = value.indexOf(token, i + 1)) before++;
  // The header of a block scalar (`|`, `>-`, …) and its line end come before the content.
  let at = raw.indexOf(token, block ? raw.indexOf('\n') + 1 : 0);
  for (let k = 0; k < before && at >= 0; k++) at = raw.indexOf(token, at + 1);
  return at < 0 ? undefined : at;
}

/** sourceShift is where the value starts within the scalar's source, when source and value agree char for char. */
function sourceShift(text: string, range: readonly number[] | null | undefined, type: string | undefined, value: string): number | undefined {
  if (!range || range[0] === undefined || range[1] === undefined) return undefined;
  const raw = text.slice(range[0], range[1]);
  if (type === 'PLAIN' && raw === value) return 0;
  if ((type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') && raw.slice(1, -1) === value) return 1;
  return undefined;
}
