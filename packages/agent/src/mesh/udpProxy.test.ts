import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createSocket, type Socket } from 'node:dgram';
import { UdpListener } from './udpProxy.js';

const sockets: Socket[] = [];
after(() => { for (const s of sockets) s.close(); });

/** nameServer answers every datagram with its name and the datagram. */
async function nameServer(name: string): Promise<number> {
  const s = createSocket('udp4');
  sockets.push(s);
  s.on('message', (m, r) => s.send(`${name}:${m.toString()}`, r.port, r.address));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s.address().port;
}

/** client is a UDP socket that sends to `port` and collects replies. */
async function client(port: number): Promise<{ ask: (m: string) => Promise<string>; close: () => void }> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return {
    ask: (m) => new Promise((resolve) => {
      const timer = setTimeout(() => { s.removeAllListeners('message'); resolve(''); }, 1000);
      s.once('message', (reply) => { clearTimeout(timer); resolve(reply.toString()); });
      s.send(m, port, '127.0.0.1');
    }),
    close: () => s.close(),
  };
}

test('a client\'s datagrams stay on one endpoint, new clients are balanced, idle flows close', async () => {
  const targets = [{ address: '127.0.0.1', port: await nameServer('a') }, { address: '127.0.0.1', port: await nameServer('b') }];
  const l = new UdpListener({ host: '127.0.0.1', port: 0, targets: () => targets, idleMs: 200 });
  const port = await l.start();
  const c1 = await client(port);
  const c2 = await client(port);
  try {
    const first = await c1.ask('1');
    assert.match(first, /^[ab]:1$/);
    assert.equal((await c1.ask('2')).slice(0, 1), first.slice(0, 1));
    const other = await c2.ask('x');
    assert.match(other, /^[ab]:x$/);
    assert.notEqual(other.slice(0, 1), first.slice(0, 1));
    assert.equal(l.open, 2);
    assert.equal(l.stats.accepted, 2);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(l.open, 0);
    // After the idle timeout the client starts a new flow.
    assert.match(await c1.ask('3'), /^[ab]:3$/);
    assert.equal(l.stats.accepted, 3);
  } finally {
    c1.close();
    c2.close();
    await l.stop();
  }
});

test('a refused client and an empty endpoint list get no reply', async () => {
  const a = await nameServer('a');
  const l = new UdpListener({ host: '127.0.0.1', port: 0, targets: () => [{ address: '127.0.0.1', port: a }], allow: () => false });
  const none = new UdpListener({ host: '127.0.0.1', port: 0, targets: () => [] });
  const c1 = await client(await l.start());
  const c2 = await client(await none.start());
  try {
    assert.equal(await c1.ask('1'), '');
    assert.equal(l.stats.refused, 1);
    assert.equal(await c2.ask('1'), '');
    assert.equal(none.stats.failed, 1);
  } finally {
    c1.close();
    c2.close();
    await l.stop();
    await none.stop();
  }
});

test('a flow that keeps talking stays open past idleMs', async () => {
  const a = await nameServer('a');
  const l = new UdpListener({ host: '127.0.0.1', port: 0, targets: () => [{ address: '127.0.0.1', port: a }], idleMs: 300 });
  const c = await client(await l.start());
  try {
    for (let i = 0; i < 8; i++) {
      assert.equal(await c.ask(String(i)), `a:${i}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(l.stats.accepted, 1, 'one flow for the whole talk');
    assert.equal(l.open, 1);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(l.open, 0, 'closed once silent for idleMs');
  } finally {
    c.close();
    await l.stop();
  }
});

test('an allowed client\'s next flows start without asking again until allowCacheMs has passed', async () => {
  const a = await nameServer('a');
  let clock = 1_000_000;
  let asked = 0;
  const l = new UdpListener({
    host: '127.0.0.1', port: 0, targets: () => [{ address: '127.0.0.1', port: a }], allowCacheMs: 1000, now: () => clock,
    allow: async () => { asked++; return true; },
  });
  const port = await l.start();
  try {
    for (let i = 0; i < 3; i++) {
      const c = await client(port); // a new client port: a new flow
      assert.equal(await c.ask('x'), 'a:x');
      c.close();
    }
    assert.equal(l.stats.accepted, 3);
    assert.equal(asked, 1);
    clock += 1000;
    const c = await client(port);
    assert.equal(await c.ask('y'), 'a:y');
    c.close();
    assert.equal(asked, 2);
  } finally {
    await l.stop();
  }
});
