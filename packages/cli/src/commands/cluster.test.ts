import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../run.js';

test('cluster join --advertise refuses a value that is not an IP address before starting anything', async () => {
  const home = mkdtempSync(join(tmpdir(), 'cluster-join-advertise-'));
  try {
    let err = '';
    const code = await run(['join', '--token', 'CLUSTER-1-x', '--advertise', '10.0.0.5 -j ACCEPT', '127.0.0.1:1'], { out: () => undefined, err: (t) => { err += t; }, env: { CLUSTER_HOME: home }, cwd: home });
    assert.equal(code, 1);
    assert.equal(err, 'cluster: join --advertise: "10.0.0.5 -j ACCEPT" is not an IP address (the address other nodes reach this one at, such as 10.0.0.5)\n');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
