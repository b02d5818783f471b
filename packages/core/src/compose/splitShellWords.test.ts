import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { splitShellWords, type ShellWords } from './splitShellWords.js';

describe('splitShellWords', () => {
  const cases: [string, ShellWords][] = [
    ['a b  c', { words: ['a', 'b', 'c'] }],
    ['  ', { words: [] }],
    ["sh -c 'echo \"hi\" $HOME'", { words: ['sh', '-c', 'echo "hi" $HOME'] }],
    ['echo "a \\"b\\" \\$c \\d"', { words: ['echo', 'a "b" $c \\d'] }],
    ['a\\ b', { words: ['a b'] }],
    ["x''y \"\"", { words: ['xy', ''] }],
    ['a\tb\nc', { words: ['a', 'b', 'c'] }],
    ["'open", { error: 'unterminated single quote', offset: 0 }],
    ['"open', { error: 'unterminated double quote', offset: 0 }],
    ['end\\', { error: 'trailing backslash', offset: 3 }],
    ["a 'b' \"c", { error: 'unterminated double quote', offset: 6 }],
  ];
  for (const [text, want] of cases) {
    test(`${JSON.stringify(text)}`, () => assert.deepEqual(splitShellWords(text), want));
  }
});
