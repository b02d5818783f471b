import { test } from 'node:test';
import assert from 'node:assert/strict';

// The benchmark helpers are plain ES modules beside the benchmarks (bench/), loaded from the repository root.
const stats = await import(new URL('../../../bench/stats.mjs', import.meta.url).href);

test('median of an odd count is the middle value, of an even count the mean of the two middles', () => {
  assert.equal(stats.median([5, 1, 3]), 3);
  assert.equal(stats.median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(stats.median([])));
  assert.equal(stats.median([NaN, 7, Infinity]), 7);
});

test('ratio of medians is missing when either side is missing or zero', () => {
  assert.equal(stats.ratio(300, 600), 0.5);
  assert.ok(Number.isNaN(stats.ratio(300, 0)));
  assert.ok(Number.isNaN(stats.ratio(NaN, 10)));
  assert.equal(stats.fmtRatio(stats.ratio(1, 4)), '0.25×');
  assert.equal(stats.fmtRatio(NaN), 'n/a');
});

test('verdict compares against a target in the right direction', () => {
  assert.equal(stats.verdict(1.1, 1.2), 'met');
  assert.equal(stats.verdict(1.3, 1.2), 'not met');
  assert.equal(stats.verdict(12000, 10000, false), 'met');
  assert.equal(stats.verdict(NaN, 1), 'n/a');
});

test('summarize and the formats', () => {
  assert.deepEqual(stats.summarize([3, 1, 2, NaN]), { median: 2, min: 1, max: 3, n: 3 });
  assert.equal(stats.fmtMs(850.4), '850 ms');
  assert.equal(stats.fmtMs(12345), '12.3 s');
  assert.equal(stats.fmtBytes(1536), '1.5 KiB');
  assert.equal(stats.table(['a', 'b'], [['1', '2']]), '| a | b |\n| --- | --- |\n| 1 | 2 |');
});
