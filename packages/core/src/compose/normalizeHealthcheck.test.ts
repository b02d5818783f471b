import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Healthcheck } from '../model.js';
import { brief, load, web, webService } from './testing.js';

const check = (h: Partial<Healthcheck>): Healthcheck => ({ test: [], intervalMs: 30000, timeoutMs: 30000, retries: 3, startPeriodMs: 0, ...h });

describe('normalizeHealthcheck', () => {
  const valid: { what: string; lines: string[]; want: Healthcheck }[] = [
    { what: 'a string test runs in a shell', lines: ['      test: curl -f http://localhost/'], want: check({ test: ['CMD-SHELL', 'curl -f http://localhost/'] }) },
    { what: 'a CMD list', lines: ['      test: ["CMD", "curl", "-f", "http://localhost/"]'], want: check({ test: ['CMD', 'curl', '-f', 'http://localhost/'] }) },
    { what: 'a CMD-SHELL list', lines: ['      test: ["CMD-SHELL", "pg_isready"]'], want: check({ test: ['CMD-SHELL', 'pg_isready'] }) },
    { what: 'NONE', lines: ['      test: ["NONE"]'], want: check({ test: ['NONE'] }) },
    { what: 'disable: true', lines: ['      disable: true'], want: check({ test: ['NONE'] }) },
    {
      what: 'timings',
      lines: ['      test: ["CMD", "true"]', '      interval: 10s', '      timeout: 500ms', '      start_period: 1m', '      retries: 5'],
      want: { test: ['CMD', 'true'], intervalMs: 10000, timeoutMs: 500, startPeriodMs: 60000, retries: 5 },
    },
    { what: 'timings alone keep the image test', lines: ['      interval: 5s'], want: check({ intervalMs: 5000 }) },
  ];
  for (const c of valid) {
    test(`healthcheck: ${c.what}`, () => {
      assert.deepEqual(webService(web('    healthcheck:', ...c.lines)).healthcheck, c.want);
    });
  }

  test('no healthcheck leaves the image one', () => {
    assert.equal(webService(web()).healthcheck, undefined);
  });

  test('start_interval is a warning', () => {
    const r = load(web('    healthcheck:', '      test: ["NONE"]', '      start_interval: 1s'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings.map((w) => w.path), ['services.web.healthcheck.start_interval']);
    assert.match(r.warnings[0]?.message ?? '', /^not supported yet, ignored \(during start_period the check runs every interval\)$/);
  });

  const errors = [
    { lines: ['      test: ["curl", "x"]'], brief: { path: 'services.web.healthcheck.test', line: 5, col: 13, message: 'invalid test ["curl","x"] (a command string, or a list starting with "CMD", "CMD-SHELL" or "NONE"; "CMD-SHELL" takes one command string)' } },
    { lines: ['      test: ["CMD"]'], brief: { path: 'services.web.healthcheck.test', line: 5, col: 13, message: 'invalid test ["CMD"] (a command string, or a list starting with "CMD", "CMD-SHELL" or "NONE"; "CMD-SHELL" takes one command string)' } },
    { lines: ['      test: ""'], brief: { path: 'services.web.healthcheck.test', line: 5, col: 13, message: 'invalid test "" (a command string, or a list starting with "CMD", "CMD-SHELL" or "NONE")' } },
    { lines: ['      test: 5'], brief: { path: 'services.web.healthcheck.test', line: 5, col: 13, message: 'expected a command string, or a list starting with "CMD", "CMD-SHELL" or "NONE", got a number' } },
    { lines: ['      interval: 30'], brief: { path: 'services.web.healthcheck.interval', line: 5, col: 17, message: 'invalid duration "30" (like "5s", "1m30s" or "500ms")' } },
    { lines: ['      timeout: 1x'], brief: { path: 'services.web.healthcheck.timeout', line: 5, col: 16, message: 'invalid duration "1x" (like "5s", "1m30s" or "500ms")' } },
    { lines: ['      start_period: -1s'], brief: { path: 'services.web.healthcheck.start_period', line: 5, col: 21, message: 'invalid duration "-1s" (like "5s", "1m30s" or "500ms")' } },
    { lines: ['      retries: many'], brief: { path: 'services.web.healthcheck.retries', line: 5, col: 16, message: 'invalid retries "many" (a non-negative integer)' } },
    { lines: ['      disable: maybe'], brief: { path: 'services.web.healthcheck.disable', line: 5, col: 16, message: 'expected true or false, got "maybe"' } },
    { lines: ['      test: ["CMD", "true"]', '      disable: true'], brief: { path: 'services.web.healthcheck', line: 5, col: 7, message: 'disable: true conflicts with test (give one of them)' } },
  ];
  for (const c of errors) {
    test(`healthcheck ${c.lines.join(' ').trim()} is an error`, () => {
      const r = load(web('    healthcheck:', ...c.lines));
      assert.equal(r.spec, undefined);
      assert.deepEqual(r.errors.map(brief), [c.brief]);
    });
  }
});
