import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exact, json, lab, LAB_DIR, labSkip, labWith, ok, running, sleepService, stackFile, waitFor } from './lab.js';

// A clock step on one lab host: its agent runs with libfaketime (its wall
// clock follows a file, its monotonic clock is left alone) and the clock is
// set back and forward by 10 minutes. The manager judges liveness on its
// own monotonic time, so the host is not called down and its replicas stay.

const ALL = [1, 2, 3];
const LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const skip = labSkip() || (!existsSync(LIB) ? `libfaketime is missing (${LIB}; apt-get install faketime)` : false);
/** SETTLE_MS is longer than the manager's silence bound (2.5 s) and session grace (1.5 s) together. */
const SETTLE_MS = 6000;

interface NodeRow { name: string; status: string }

function log(msg: string): void {
  process.stderr.write(`lab: ${msg}\n`);
}

describe('lab: a clock step on one host', { skip, timeout: 600000 }, () => {
  before(() => {
    lab('up', '3');
  }, { timeout: 180000 });
  after(() => {
    lab('down');
  }, { timeout: 120000 });

  test('lab2\'s agent clock set back and forward by 10 minutes: lab2 stays ready and every replica stays where it runs', { timeout: 180000 }, async () => {
    ok('deploy', stackFile('clk', sleepService(6)), '--detach');
    const file = join(LAB_DIR, 'clock-lab2');
    writeFileSync(file, '+0\n');
    labWith({ LD_PRELOAD: LIB, FAKETIME_TIMESTAMP_FILE: file, DONT_FAKE_MONOTONIC: '1', FAKETIME_CACHE_DURATION: '1' }, 'restart-agent', '2');
    try {
      // The restarted agent is the one whose clock follows the file.
      const pid = Number((JSON.parse(readFileSync(join(LAB_DIR, 'host2/agent/status.json'), 'utf8')) as { pid: number }).pid);
      assert.ok(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`FAKETIME_TIMESTAMP_FILE=${file}`), `agent ${pid} runs with libfaketime`);
      const ids = await waitFor('6 replicas, one per slot, lab2 ready', 60000, async () => {
        const cs = await running('clk_app', ALL);
        const ready = json<NodeRow>('nodes').every((n) => n.status === 'ready');
        return exact(cs, 6) && ready ? cs.map((c) => c.id).sort() : undefined;
      });
      for (const offset of ['-10m', '+10m', '+0']) {
        writeFileSync(file, `${offset}\n`);
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const nodes = json<NodeRow>('nodes');
        log(`lab2's clock ${offset}: ${nodes.map((n) => `${n.name} ${n.status}`).join(', ')}`);
        assert.deepEqual(nodes.filter((n) => n.status !== 'ready'), [], `after a step of ${offset}`);
        assert.deepEqual((await running('clk_app', ALL)).map((c) => c.id).sort(), ids, `the same containers after a step of ${offset}`);
      }
    } finally {
      // lab2's agent as it was: with the real clock.
      writeFileSync(file, '+0\n');
      lab('restart-agent', '2');
      ok('rm', 'clk');
    }
  });
});
