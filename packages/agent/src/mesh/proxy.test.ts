import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { TcpListener, type ProxyTarget } from './proxy.js';

const servers: Server[] = [];
after(() => { for (const s of servers) s.close(); });

async function listen(s: Server): Promise<number> {
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.address() as { port: number }).port;
}

/** nameServer answers every connection with its name, then closes. */
function nameServer(name: string): Promise<number> {
  return listen(createServer((c) => c.end(name)));
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

const local = (port: number): ProxyTarget => ({ address: '127.0.0.1', port });

test('connections are balanced round robin and a dead endpoint is skipped', async () => {
  const a = await nameServer('a');
  const b = await nameServer('b');
  const dead = await nameServer('x');
  servers.pop()!.close(); // nothing listens on `dead` any more
  const targets: ProxyTarget[] = [local(a), local(dead), local(b)];
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
  const l = new TcpListener({ host: '127.0.0.1', port: 0, targets: () => [local(a)], allow: () => false });
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

test('an endpoint that refused is passed over by the next connections until skipMs has passed', async () => {
  const a = await nameServer('a');
  const dead = await nameServer('x');
  servers.pop()!.close();
  let clock = 1_000_000;
  const l = new TcpListener({ host: '127.0.0.1', port: 0, targets: () => [local(dead), local(a)], skipMs: 2000, now: () => clock });
  const port = await l.start();
  try {
    assert.equal(await ask(port), 'a'); // round robin starts at `dead`, which refuses: one retry
    assert.equal(l.stats.retried, 1);
    for (let i = 0; i < 4; i++) assert.equal(await ask(port), 'a');
    assert.equal(l.stats.retried, 1, 'no connection dials the refusing endpoint within skipMs');
    clock += 2000;
    for (let i = 0; i < 2; i++) assert.equal(await ask(port), 'a');
    assert.equal(l.stats.retried, 2, 'after skipMs the endpoint is tried once more');
    assert.equal(l.stats.failed, 0);
  } finally {
    await l.stop();
  }
});

/**
 * silentEndpoint is a port whose listener never accepts: a child process
 * listens with a backlog of 1 and blocks its event loop; once the backlog is
 * full (filled here), the kernel drops further SYNs and dials hang.
 */
async function silentEndpoint(): Promise<{ port: number; close: () => void }> {
  const code = `require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () {
    process.stdout.write(this.address().port + '\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20000);
    process.exit(0);
  });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (c) => reject(new Error(`silent endpoint exited ${c}`)));
  });
  const fillers: Socket[] = [];
  for (let i = 0; i < 4; i++) fillers.push(connect(port, '127.0.0.1').on('error', () => undefined));
  await new Promise((r) => setTimeout(r, 200));
  return { port, close: () => { for (const f of fillers) f.destroy(); child.kill('SIGKILL'); } };
}

test('a silent endpoint gets company after staggerMs and is given up after connectTimeoutMs', async () => {
  const a = await nameServer('a');
  const silent = await silentEndpoint();
  const both = new TcpListener({ host: '127.0.0.1', port: 0, targets: () => [local(silent.port), local(a)], staggerMs: 100, connectTimeoutMs: 1500 });
  const alone = new TcpListener({ host: '127.0.0.1', port: 0, targets: () => [local(silent.port)], staggerMs: 100, connectTimeoutMs: 500 });
  const port = await both.start();
  const port2 = await alone.start();
  try {
    assert.equal(await ask(port), 'a'); // dialled `silent` first, then `a` alongside
    assert.equal(both.stats.retried, 1);
    assert.equal(both.stats.accepted, 1);
    assert.equal(await ask(port2), '');
    assert.equal(alone.stats.failed, 1);
  } finally {
    await both.stop();
    await alone.stop();
    silent.close();
  }
});

test('half-close: each side may end first and the other side still sends and is heard', async () => {
  // Replies after the client ended its side, with the count of bytes it got.
  const counter = await listen(createServer({ allowHalfOpen: true }, (c) => {
    let n = 0;
    c.on('data', (d: Buffer) => (n += d.length));
    c.on('end', () => c.end(`got ${n}`));
  }));
  // Ends its side at once and keeps listening.
  let heard = -1;
  const early = await listen(createServer({ allowHalfOpen: true }, (c) => {
    let n = 0;
    c.end('bye');
    c.on('data', (d: Buffer) => (n += d.length));
    c.on('end', () => (heard = n));
  }));
  const toCounter = new TcpListener({ host: '127.0.0.1', port: 0, targets: () => [local(counter)] });
  const toEarly = new TcpListener({ host: '127.0.0.1', port: 0, targets: () => [local(early)] });
  const p1 = await toCounter.start();
  const p2 = await toEarly.start();
  try {
    const reply = await new Promise<string>((resolve, reject) => {
      const c = connect({ port: p1, host: '127.0.0.1', allowHalfOpen: true });
      let out = '';
      c.on('data', (d: Buffer) => (out += d.toString()));
      c.on('end', () => { c.end(); resolve(out); });
      c.on('error', reject);
      c.setTimeout(3000, () => c.destroy(new Error('timeout')));
      c.end(Buffer.alloc(100_000, 1));
    });
    assert.equal(reply, 'got 100000');

    const greeting = await new Promise<string>((resolve, reject) => {
      const c = connect({ port: p2, host: '127.0.0.1', allowHalfOpen: true });
      let out = '';
      c.on('data', (d: Buffer) => (out += d.toString()));
      c.on('end', () => c.end(Buffer.alloc(50_000, 2), () => resolve(out)));
      c.on('error', reject);
      c.setTimeout(3000, () => c.destroy(new Error('timeout')));
    });
    assert.equal(greeting, 'bye');
    const deadline = Date.now() + 3000;
    while (heard < 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(heard, 50_000, 'bytes sent after the server ended its side reach it');
  } finally {
    await toCounter.stop();
    await toEarly.stop();
  }
});

test('backpressure: a client that does not read holds back the endpoint, and every byte arrives in order', async () => {
  const total = 64 * 1024 * 1024;
  const chunk = 64 * 1024;
  let flushed = 0;
  const sent = createHash('sha256');
  const fast = await listen(createServer((c) => {
    let i = 0;
    const more = (): void => {
      while (i < total / chunk) {
        const b = Buffer.alloc(chunk, i % 251);
        sent.update(b);
        i++;
        const last = i === total / chunk;
        const ok = c.write(b, () => (flushed += chunk));
        if (last) c.end();
        if (!ok) return void c.once('drain', more);
      }
    };
    more();
  }));
  const l = new TcpListener({ host: '127.0.0.1', port: 0, targets: () => [local(fast)] });
  const port = await l.start();
  const c = connect(port, '127.0.0.1');
  try {
    c.pause();
    // Wait until the endpoint's writes stop making progress (bounded to 10 s).
    let last = -1;
    const deadline = Date.now() + 10_000;
    while ((flushed !== last || flushed === 0) && Date.now() < deadline) {
      last = flushed;
      await new Promise((r) => setTimeout(r, 300));
    }
    assert.ok(flushed < total / 2, `the endpoint flushed ${flushed} of ${total} bytes to a client that reads nothing`);
    const got = createHash('sha256');
    let n = 0;
    await new Promise<void>((resolve, reject) => {
      c.on('data', (d: Buffer) => { got.update(d); n += d.length; });
      c.on('end', () => resolve());
      c.on('error', reject);
      c.setTimeout(10_000, () => c.destroy(new Error('timeout')));
      c.resume();
    });
    assert.equal(n, total);
    assert.equal(got.digest('hex'), sent.digest('hex'));
  } finally {
    c.destroy();
    await l.stop();
  }
});

test('an allowed client is remembered for allowCacheMs; a refusal is asked again', async () => {
  const a = await nameServer('a');
  let clock = 1_000_000;
  const answers = [false, true, true];
  let asked = 0;
  const l = new TcpListener({
    host: '127.0.0.1', port: 0, targets: () => [local(a)], allowCacheMs: 1000, now: () => clock,
    allow: async () => answers[asked++] ?? false,
  });
  const port = await l.start();
  try {
    assert.equal(await ask(port), '');
    assert.equal(await ask(port), 'a');
    assert.equal(asked, 2, 'a refusal is not remembered');
    assert.equal(await ask(port), 'a');
    clock += 999;
    assert.equal(await ask(port), 'a');
    assert.equal(asked, 2, 'within allowCacheMs the answer is remembered');
    clock += 1;
    assert.equal(await ask(port), 'a');
    assert.equal(asked, 3, 'after allowCacheMs the client is asked about again');
    assert.equal(l.stats.refused, 1);
  } finally {
    await l.stop();
  }
});
