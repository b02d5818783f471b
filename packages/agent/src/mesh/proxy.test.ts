import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { connect, createServer, type Server } from 'node:net';
import { TcpListener, type ProxyTarget } from './proxy.js';

const servers: Server[] = [];
after(() => { for (const s of servers) s.close(); });

/** echoServer answers every connection with its name, then closes. */
async function nameServer(name: string): Promise<number> {
  const s = createServer((c) => c.end(name));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.address() as { port: number }).port;
}

function ask(port: number): Promise<string> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    let out = '';
    c.on('data', (d) => (out += d.toString()));
    c.on('close', () => resolve(out));
    c.on('error', () => resolve(''));
    c.setTimeout(3000, () => c.destroy());
  });
}

test('connections are balanced round robin and a dead endpoint is skipped', async () => {
  const a = await nameServer('a');
  const b = await nameServer('b');
  const dead = await nameServer('x');
  servers.pop()!.close(); // nothing listens on `dead` any more
  const targets: ProxyTarget[] = [{ address: '127.0.0.1', port: a }, { address: '127.0.0.1', port: dead }, { address: '127.0.0.1', port: b }];
  const l = new TcpListener({ host: '127.0.0.1', port: 0, targets: () => targets });
  const port = await l.start();
  try {
    const got: string[] = [];
    for (let i = 0; i < 6; i++) got.push(await ask(port));
    assert.ok(got.every((g) => g === 'a' || g === 'b'), got.join(','));
    assert.ok(got.includes('a') && got.includes('b'));
    assert.equal(l.stats.failed, 0);
    assert.ok(l.stats.retried >= 1);
  } finally {
    await l.stop();
  }
});

test('a refused client and an empty endpoint list close the connection', async () => {
  const a = await nameServer('a');
  const l = new TcpListener({ host: '127.0.0.1', port: 0, targets: () => [{ address: '127.0.0.1', port: a }], allow: () => false });
  const port = await l.start();
  const none = new TcpListener({ host: '127.0.0.1', port: 0, targets: () => [] });
  const port2 = await none.start();
  try {
    assert.equal(await ask(port), '');
    assert.equal(l.stats.refused, 1);
    assert.equal(await ask(port2), '');
    assert.equal(none.stats.failed, 1);
  } finally {
    await l.stop();
    await none.stop();
  }
});
