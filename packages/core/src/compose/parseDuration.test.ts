import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDuration, parseTimeout } from './parseDuration.js';

describe('parseDuration', () => {
  const cases: [string, number | undefined][] = [
    ['0', 0],
    ['5s', 5000],
    ['500ms', 500],
    ['1m30s', 90000],
    ['1h', 3600000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['2h3m4s5ms', 7384005],
    ['1500us', 2],
    ['100ns', 0],
    [' 10s ', 10000],
    ['10', undefined],
    ['', undefined],
    ['-5s', undefined],
    ['5x', undefined],
    ['5 s', undefined],
    ['s', undefined],
    ['1d', undefined],
  ];
  for (const [text, want] of cases) {
    test(`${JSON.stringify(text)} is ${want}`, () => assert.equal(parseDuration(text), want));
  }
});

describe('parseTimeout', () => {
  const cases: [string, number | undefined][] = [
    ['90', 90000],
    ['1.5', 1500],
    ['0', 0],
    ['90s', 90000],
    ['2m', 120000],
    ['1500ms', 1500],
    ['1m30s', 90000],
    [' 10s ', 10000],
    ['', undefined],
    ['-5', undefined],
    ['5x', undefined],
    ['ten', undefined],
  ];
  for (const [text, want] of cases) {
    test(`${JSON.stringify(text)} is ${want}`, () => assert.equal(parseTimeout(text), want));
  }
});
