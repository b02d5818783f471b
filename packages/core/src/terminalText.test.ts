import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clipText, escapeControl, hasControl } from './terminalText.js';

test('escapeControl writes ESC, BEL, CR, LF, other C0, DEL and C1 as visible escapes', () => {
  assert.equal(escapeControl('\x1b]0;pwned\x07\x1b[2J'), '\\e]0;pwned\\x07\\e[2J');
  assert.equal(escapeControl('a\r\nb\tc\x00d\x7fe\x9bf'), 'a\\r\\nb\\tc\\x00d\\x7fe\\x9bf');
  assert.equal(escapeControl('evil\u202etxt.exe\u2028x'), 'evil\\u202etxt.exe\\u2028x');
  assert.equal(escapeControl('plain text, é ü 日本 \\ "'), 'plain text, é ü 日本 \\ "');
});

test('escapeControl keeps the characters it is told to keep', () => {
  assert.equal(escapeControl('line 1\nline\x1b 2', '\n'), 'line 1\nline\\e 2');
});

test('hasControl finds any character escapeControl would escape', () => {
  assert.equal(hasControl('docker 20.10.24'), false);
  assert.equal(hasControl('20.10\x1b[2J'), true);
  assert.equal(hasControl('a\nb'), true);
  // The same answer on every call (no state kept between calls).
  assert.equal(hasControl('x\x07'), true);
  assert.equal(hasControl('x\x07'), true);
});

test('clipText bounds text and says how much was left out', () => {
  assert.equal(clipText('short', 10), 'short');
  const clipped = clipText('x'.repeat(1_600_000), 100);
  assert.ok(clipped.length <= 100);
  assert.match(clipped, /^x+… \(\d+ more characters\)$/);
  const kept = clipped.length - clipped.replace(/^x+/, '').length;
  assert.equal(Number(/\((\d+) more/.exec(clipped)?.[1]), 1_600_000 - kept);
  // A surrogate pair is never cut in half.
  const emoji = clipText('😀'.repeat(100), 40);
  assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(emoji));
});
