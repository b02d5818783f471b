import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalAddresses } from './netif.js';
import { RecordedAddresses } from './recordedAddresses.js';

/** fakeLocal records the calls a LocalAddresses would turn into `ip` commands. */
function fakeLocal(calls: string[]): LocalAddresses {
  const f = {
    add: async (a: string) => { calls.push(`add ${a}`); },
    remove: async (a: string) => { calls.push(`remove ${a}`); },
    addRange: async (c: string) => { calls.push(`addRange ${c}`); },
    drop: async (a: string) => { calls.push(`drop ${a}`); },
    dropRange: async (c: string) => { calls.push(`dropRange ${c}`); },
    clear: async () => { calls.push('clear'); },
  };
  return f as unknown as LocalAddresses;
}

test('the next agent of a data dir takes off what a killed one left on the loopback device, and only that', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'recorded-'));
  try {
    const file = join(dir, 'loopback.json');
    const first: string[] = [];
    const killed = new RecordedAddresses(fakeLocal(first), file, () => undefined);
    await killed.removeLeftovers();
    await killed.add('10.233.0.1');
    await killed.add('10.233.0.7');
    await killed.add('10.233.0.9');
    await killed.remove('10.233.0.9');
    await killed.addRange('10.234.0.0/15');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { addresses: ['10.233.0.1', '10.233.0.7'], ranges: ['10.234.0.0/15'] });
    // Killed here: nothing was cleared. The next agent starts.
    const calls: string[] = [];
    const lines: string[] = [];
    const next = new RecordedAddresses(fakeLocal(calls), file, (l) => lines.push(l));
    assert.deepEqual(await next.removeLeftovers(), ['10.233.0.1', '10.233.0.7', '10.234.0.0/15']);
    assert.deepEqual(calls, ['drop 10.233.0.1', 'drop 10.233.0.7', 'dropRange 10.234.0.0/15']);
    assert.match(lines[0] ?? '', /removed what an earlier agent left/);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { addresses: [], ranges: [] });
    // An agent that stopped cleanly leaves nothing to remove.
    await next.add('10.233.0.1');
    await next.clear();
    assert.deepEqual(await new RecordedAddresses(fakeLocal([]), file, () => undefined).removeLeftovers(), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing or broken record removes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'recorded-'));
  try {
    const calls: string[] = [];
    assert.deepEqual(await new RecordedAddresses(fakeLocal(calls), join(dir, 'none.json'), () => undefined).removeLeftovers(), []);
    assert.deepEqual(calls, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
