import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CELL_MAX, json, table } from './format.js';

/** RAW_CONTROL matches what must never reach the terminal raw: C0 but LF, DEL, C1. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

test('table cells come out escaped: no ESC, BEL, CR, LF, other C0, DEL or C1 reaches the terminal, and rows stay rows', () => {
  const out = table(['NAME', 'ENGINE'], [['n1', '\x1b]0;pwned\x07\x1b[2J'], ['n2\r\nFAKE ROW', 'a\x00b\x7fc\x9bd']]);
  assert.ok(!RAW_CONTROL.test(out), JSON.stringify(out));
  assert.equal(out.split('\n').length, 4, 'header, two rows, final newline');
  assert.ok(out.includes('\\e]0;pwned\\x07\\e[2J'));
  assert.ok(out.includes('n2\\r\\nFAKE ROW'));
  assert.ok(out.includes('a\\x00b\\x7fc\\x9bd'));
});

test('a very long cell is clipped; the table stays usable', () => {
  const out = table(['ID', 'ERROR'], [['t1', 'e'.repeat(1_600_000)], ['t2', 'short']]);
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.ok(lines[1]!.length < CELL_MAX + 20, `${lines[1]!.length}`);
  assert.match(lines[1]!, /… \(\d+ more characters\)$/);
});

test('json escapes DEL, C1 and Unicode overrides as JSON escapes and decodes to the same values', () => {
  const value = [{ engineVersion: '\x1b]0;pwned\x07\x7f\x9b\u202e' }];
  const text = json(value);
  assert.ok(!RAW_CONTROL.test(text) && !text.includes('\u202e'), JSON.stringify(text));
  assert.deepEqual(JSON.parse(text), value);
});
