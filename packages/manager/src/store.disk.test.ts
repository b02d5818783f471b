import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ClusterError, type Task } from '@cluster/core';
import type { Logger } from './log.js';
import { SqliteStore } from './sqliteStore.js';

// The store on a real small filesystem (a tmpfs with size=) that fills up:
// needs root to mount it.

const skip = process.getuid?.() !== 0 ? 'mounting a small filesystem needs root' : false;

const task: Task = {
  id: 't1', stack: 's', service: 's_web', slot: 1, nodeId: 'n1', desiredState: 'running', state: 'assigned', containerId: '', error: '', exitCode: 0,
  health: '', specVersion: 1, createdAt: 0, updatedAt: 0,
};

/** fill writes a file in `dir` until the filesystem refuses (at most 64 MiB) and returns its path. */
function fill(dir: string): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'a');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let i = 0; i < 1024; i++) writeSync(fd, chunk);
    throw new Error('the filesystem did not fill up');
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return file;
}

/** capture is a Logger that keeps its lines. */
function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const line = (level: string) => (m: string, ...e: unknown[]) => { lines.push(`${level} ${m} ${e.map(String).join(' ')}`); };
  return { lines, info: line('info'), warn: line('warn'), error: line('error') };
}

describe('the store on a disk that fills up', { skip }, () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'store-disk-'));
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => {
    spawnSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('writes are refused with resource_exhausted and change nothing; deferred writes wait; all of it carries on when space returns', async () => {
    const log = capture();
    const path = join(dir, 'store.db');
    const store = SqliteStore.open(path, { log });
    let filler = '';
    try {
      store.update({ putTasks: [task] });
      filler = fill(dir);
      // A record larger than anything the database holds yet: it needs new pages.
      const big = { ...task, id: 't2', slot: 2, error: 'x'.repeat(256 * 1024) };
      let refusal: unknown;
      try {
        store.update({ putTasks: [big] });
      } catch (err) {
        refusal = err;
      }
      assert.ok(refusal instanceof ClusterError, `refused with a ClusterError: ${String(refusal)}`);
      assert.equal(refusal.code, 'resource_exhausted');
      assert.equal(refusal.retryable, true);
      assert.match(refusal.message, /^manager: the manager's disk is full \(.*store\.db: .*\); the change was not made/);
      assert.equal(store.task('t2'), undefined, 'a refused write changes nothing in memory');
      assert.throws(() => store.setMeta('k', 'v'.repeat(256 * 1024)), (err: unknown) => err instanceof ClusterError && err.code === 'resource_exhausted');
      assert.throws(() => store.transaction(() => store.update({ putTasks: [big] })), (err: unknown) => err instanceof ClusterError && err.code === 'resource_exhausted');
      assert.equal(store.task('t2'), undefined, 'a refused transaction changes nothing in memory');
      // Reads work; observations go to memory and wait for the disk (the timed flush must not throw).
      assert.equal(store.task('t1')?.state, 'assigned');
      store.putTasksSoon([{ ...task, state: 'running', error: 'y'.repeat(256 * 1024) }]);
      store.putNodesSoon([{ id: 'n1', name: 'n1', role: 'worker', address: '', hostname: '', labels: {}, availability: 'active', status: 'down', statusMessage: 'z'.repeat(256 * 1024), lastHeartbeat: 0, engineVersion: '', nanoCpus: 0, memoryBytes: 0, createdAt: 0 }]);
      assert.equal(store.task('t1')?.state, 'running');
      assert.equal(store.node('n1')?.status, 'down');
      await sleep(1500);
      assert.match(store.writeProblem() ?? '', /disk is full/);
      assert.equal(log.lines.filter((l) => l.includes('store: the disk refuses writes')).length, 1, `logged once:\n${log.lines.join('\n')}`);

      rmSync(filler);
      filler = '';
      // The deferred writes reach the disk by themselves (retried every second).
      const reopened = async (): Promise<Task | undefined> => {
        for (let i = 0; i < 50; i++) {
          if (store.writeProblem() === undefined) break;
          await sleep(100);
        }
        const other = SqliteStore.open(path);
        try {
          assert.equal(other.node('n1')?.status, 'down');
          return other.task('t1');
        } finally {
          other.close();
        }
      };
      assert.equal((await reopened())?.state, 'running');
      assert.ok(log.lines.some((l) => /store: writes work again \(\d+ refused meanwhile; the last: manager: the manager's disk is full/.test(l)), log.lines.join('\n'));
      store.update({ putTasks: [big] });
      assert.equal(store.task('t2')?.slot, 2);
    } finally {
      if (filler) rmSync(filler, { force: true });
      store.close();
    }
    const check = SqliteStore.open(path);
    try {
      assert.equal(check.task('t2')?.error.length, 256 * 1024, 'the write after the refusals is on disk');
    } finally {
      check.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    } finally {
      db.close();
    }
  });
});
