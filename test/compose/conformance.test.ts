/**
 * The Compose conformance suite: each `*.yml` here is a stack written as
 * users write them, with its expectations in `# expect…` comments at the top:
 *
 *   # expect: services.web.env = {"A":"1"}      a value of the loaded spec (JSON, or undefined)
 *   # expect-warning: services.web.pid           a warning at that YAML path
 *   # expect-error: 8:13 services.web.ports[0]   an error at that line, column and path
 *
 * A file without expect-error must load without errors. Other files of the
 * folder (env files, secrets) are read by the stacks that name them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { loadStack } from '@cluster/core';

const DIR = resolve(import.meta.dirname, '..', '..', 'compose');

/** valueAt reads `services.web.env` or `services.web.secrets[0].target` from a value. */
function valueAt(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const part of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    v = (v as Record<string, unknown> | undefined)?.[m[1] ?? ''];
    for (const i of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) v = (v as unknown[] | undefined)?.[Number(i[1])];
  }
  return v;
}

describe('compose conformance suite', () => {
  for (const name of readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort()) {
    test(name, () => {
      const file = join(DIR, name);
      const text = readFileSync(file, 'utf8');
      const r = loadStack({ files: [file], readFile: (p) => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } }, env: {} });
      const lines = text.split('\n').filter((l) => l.startsWith('# expect'));
      const errors = lines.filter((l) => l.startsWith('# expect-error: ')).map((l) => l.slice('# expect-error: '.length).trim());
      const warnings = lines.filter((l) => l.startsWith('# expect-warning: ')).map((l) => l.slice('# expect-warning: '.length).trim());
      assert.deepEqual(r.errors.map((e) => `${e.line}:${e.col} ${e.path}`), errors, r.errors.map((e) => e.message).join('\n'));
      for (const w of warnings) assert.ok(r.warnings.some((x) => x.path === w), `warning at ${w}; got ${r.warnings.map((x) => x.path).join(', ')}`);
      for (const l of lines.filter((x) => x.startsWith('# expect: '))) {
        const [path = '', want = ''] = l.slice('# expect: '.length).split(' = ');
        assert.deepEqual(valueAt(r.spec, path), want.trim() === 'undefined' ? undefined : JSON.parse(want), path);
      }
    });
  }
});
