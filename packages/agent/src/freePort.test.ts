import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { freePort } from './freePort.js';

test('freePort gives a port that can be listened on at once, on the host asked for', async () => {
  for (const host of ['127.0.0.1', '0.0.0.0']) {
    const port = await freePort(host);
    assert.ok(port > 0 && port < 65536, `${port}`);
    const s = createServer();
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, resolve);
    });
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});
