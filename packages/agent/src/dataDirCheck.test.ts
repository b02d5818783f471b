import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DataDirCheck, describeWriteError } from './dataDirCheck.js';

test('a write error is told in a few words: full, read-only, or the system\'s message', () => {
  assert.equal(describeWriteError(Object.assign(new Error('x'), { code: 'ENOSPC' })), 'disk full (ENOSPC)');
  assert.equal(describeWriteError(Object.assign(new Error('x'), { code: 'EROFS' })), 'read-only filesystem (EROFS)');
  assert.equal(describeWriteError(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' })), 'EIO: i/o error, write');
});

// A real small filesystem (a tmpfs with size=) that fills up: needs root to mount it.
describe('the data dir on a disk that fills up', { skip: process.getuid?.() !== 0 ? 'mounting a small filesystem needs root' : false }, () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-datadir-'));
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => {
    spawnSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a full data dir is told once, with the reason, and told again when it takes writes', () => {
    const changes: string[] = [];
    const lines: string[] = [];
    const check = new DataDirCheck({ dir, log: (m) => lines.push(m), onChange: (e) => changes.push(e) });
    assert.equal(check.check(), '');
    assert.deepEqual(changes, [], 'nothing to tell while writes work');
    const filler = join(dir, 'filler');
    const fd = openSync(filler, 'a');
    try {
      for (let i = 0; i < 1024; i++) writeSync(fd, Buffer.alloc(4096, 1));
    } catch (err) {
      assert.equal((err as { code?: string }).code, 'ENOSPC');
    } finally {
      closeSync(fd);
    }
    assert.equal(check.check(), 'disk full (ENOSPC)');
    check.failed('status.json', Object.assign(new Error('no space'), { code: 'ENOSPC' }));
    assert.equal(check.check(), 'disk full (ENOSPC)');
    assert.deepEqual(changes, ['disk full (ENOSPC)'], 'told once');
    rmSync(filler);
    assert.equal(check.check(), '');
    assert.deepEqual(changes, ['disk full (ENOSPC)', '']);
    assert.equal(lines.filter((l) => l.includes('cannot be written (disk full (ENOSPC))')).length, 1, lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('takes writes again')));
  });
});
