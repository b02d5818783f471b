import { test } from 'node:test';
import assert from 'node:assert/strict';

// The benchmark helpers are plain ES modules beside the benchmarks (bench/), loaded from the repository root.
const report = await import(new URL('../../../bench/report.mjs', import.meta.url).href);

function engineResults(withFloornet: boolean, withBase = false): Record<string, unknown> {
  const sys = (ours: number[], swarm: number[], floor: number[], floornet: number[], base: number[]): Record<string, number[]> => ({
    ours, swarm, floor, ...(withFloornet ? { floornet } : {}), ...(withBase ? { base } : {}),
  });
  return {
    runs: 2,
    convergence: { 1: sys([300, 340], [400, 420], [200, 220], [250, 270], [700, 760]), 30: sys([6100, 6300], [7000, 7100], [5000, 5200], [5800, 6000], [6600, 6800]) },
    convergenceSecondary: { 1: sys([350, 390], [500, 520], [NaN, NaN], [NaN, NaN], [900, 950]), 30: sys([6100, 6300], [7100, 7200], [NaN, NaN], [NaN, NaN], [6800, 7000]) },
    scale: sys([4000, 4200], [6000, 6100], [3000, 3200], [3500, 3700], [4500, 4700]),
    rm: sys([3000, 3100], [3600, 3700], [2000, 2200], [2400, 2600], [3500, 3600]),
  };
}

function rowOf(md: string, start: string): string[] {
  const line = md.split('\n').find((l) => l.startsWith(`| ${start} |`));
  assert.ok(line, `no row "${start}" in:\n${md}`);
  return line.split('|').slice(1, -1).map((c) => c.trim());
}

test('the convergence tables show the floor on a stack network and our ratio to it', () => {
  const md: string = report.renderResults({ date: 'd', machine: 'm', command: 'c', engine: engineResults(true) });
  const header = rowOf(md, '');
  assert.deepEqual(header.slice(1, 9), ['cluster', 'Swarm', 'engine floor', 'floor on a stack network', 'ours/Swarm', 'ours/floor', 'ours/stack-network floor', '`cluster deploy` returned']);
  const n30 = rowOf(md, 'N=30');
  assert.equal(n30[4], '5900 ms (5800 ms–6000 ms)');
  assert.equal(n30[6], '1.22×'); // 6200 / 5100
  assert.equal(n30[7], '1.05×'); // 6200 / 5900
  const scale = rowOf(md, 'scale 10 → 30 (20 starts)');
  assert.equal(scale[4], '3600 ms (3500 ms–3700 ms)');
  assert.equal(scale[7], '1.14×'); // 4100 / 3600
});

test('the targets keep the issue\'s floor line and add one for the floor on a stack network', () => {
  const md: string = report.renderResults({ date: 'd', machine: 'm', command: 'c', engine: engineResults(true) });
  assert.deepEqual(rowOf(md, 'convergence N=30 within 1.2× the floor'), ['convergence N=30 within 1.2× the floor', '1.22×', 'not met']);
  assert.deepEqual(rowOf(md, 'convergence N=30 within 1.2× the floor on a stack network'), ['convergence N=30 within 1.2× the floor on a stack network', '1.05×', 'met']);
  assert.deepEqual(rowOf(md, 'convergence N=1 under half of Swarm'), ['convergence N=1 under half of Swarm', '0.78×', 'not met']);
});

test('results without the stack-network floor (older runs) say n/a, and a --base run adds the before columns', () => {
  const old: string = report.renderResults({ date: 'd', machine: 'm', command: 'c', engine: engineResults(false) });
  assert.equal(rowOf(old, 'N=1')[4], 'n/a');
  assert.equal(rowOf(old, 'convergence N=1 within 1.2× the floor on a stack network')[2], 'n/a');
  assert.ok(!old.includes('before (--base)'));
  const withBase: string = report.renderResults({ date: 'd', machine: 'm', command: 'c', engine: engineResults(true, true) });
  const n1 = rowOf(withBase, 'N=1');
  assert.equal(rowOf(withBase, '')[2], 'before (--base)');
  assert.equal(n1[2], '730 ms (700 ms–760 ms)');
  assert.equal(n1[9], '0.44×'); // ours/before: 320 / 730
});
