// A small Redis client (RESP over TCP): one command at a time, enough for
// the example's counters and job queue.
import { connect } from 'node:net';

export function redis(host, port = 6379) {
  let socket;
  let buffer = Buffer.alloc(0);
  const waiting = [];
  function open() {
    return new Promise((resolve, reject) => {
      socket = connect({ host, port }, resolve);
      socket.once('error', reject);
      socket.on('data', (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const parsed = parse(buffer, 0);
          if (!parsed) break;
          buffer = buffer.subarray(parsed.end);
          waiting.shift()?.(parsed.value);
        }
      });
      socket.on('close', () => { socket = undefined; });
    });
  }
  async function command(...args) {
    if (!socket) await open();
    const wire = `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('');
    return new Promise((resolve) => { waiting.push(resolve); socket.write(wire); });
  }
  return { command, close: () => socket?.end() };
}

function parse(buf, at) {
  const nl = buf.indexOf('\r\n', at);
  if (nl < 0) return undefined;
  const kind = String.fromCharCode(buf[at]);
  const line = buf.toString('utf8', at + 1, nl);
  if (kind === '+' || kind === '-') return { value: line, end: nl + 2 };
  if (kind === ':') return { value: Number(line), end: nl + 2 };
  if (kind === '$') {
    const n = Number(line);
    if (n < 0) return { value: null, end: nl + 2 };
    if (buf.length < nl + 2 + n + 2) return undefined;
    return { value: buf.toString('utf8', nl + 2, nl + 2 + n), end: nl + 2 + n + 2 };
  }
  if (kind === '*') {
    const n = Number(line);
    if (n < 0) return { value: null, end: nl + 2 };
    const items = [];
    let end = nl + 2;
    for (let i = 0; i < n; i++) {
      const p = parse(buf, end);
      if (!p) return undefined;
      items.push(p.value);
      end = p.end;
    }
    return { value: items, end };
  }
  throw new Error(`resp: unexpected reply type ${kind}`);
}
