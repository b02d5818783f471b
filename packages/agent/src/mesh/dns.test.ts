import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import * as packet from 'dns-packet';
import type { RegistryEntry } from '@cluster/core';
import { DnsServer } from './dns.js';

/** Reply is the part of a decoded answer the tests read. */
interface Reply {
  rcode: string;
  answers: { data: unknown }[];
}

const entries: RegistryEntry[] = [{ name: 'a_web', stack: 'a', shortName: 'web', vip: '10.233.0.2', ports: [], endpoints: [], aliases: [] }];

function udpQuery(port: number, name: string, type: 'A' | 'AAAA' = 'A'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => { s.close(); reject(new Error('timeout')); }, 3000);
    s.on('message', (m) => { clearTimeout(timer); s.close(); resolve(packet.decode(m) as unknown as Reply); });
    s.send(packet.encode({ type: 'query', id: 7, flags: packet.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] }), port, '127.0.0.1');
  });
}

function tcpQuery(port: number, name: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const c = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    c.setTimeout(3000, () => { c.destroy(); reject(new Error('timeout')); });
    c.on('connect', () => c.write(packet.streamEncode({ type: 'query', id: 9, questions: [{ type: 'A', name, class: 'IN' }] })));
    c.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) { c.destroy(); resolve(packet.streamDecode(buf) as unknown as Reply); }
    });
  });
}

test('cluster names are answered over UDP and TCP, for the asker\'s stack only; others are forwarded', async () => {
  // The "host resolver" is a second server that knows every name as 192.0.2.9.
  const upstream = createSocket('udp4');
  upstream.on('message', (m, r) => {
    const q = packet.decode(m);
    upstream.send(packet.encode({ type: 'response', id: q.id, questions: q.questions, answers: [{ type: 'A', name: q.questions![0]!.name, data: '192.0.2.9' }] }), r.port, r.address);
  });
  await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', () => r()));
  let stack = 'a';
  const dns = new DnsServer({ address: '127.0.0.1', port: 0, entries: () => entries, askerOf: () => ({ stack, networks: [] }), upstreams: [{ address: '127.0.0.1', port: upstream.address().port }] });
  const { udpPort, tcpPort } = await dns.start();
  try {
    const a = await udpQuery(udpPort, 'web');
    assert.equal(a.rcode, 'NOERROR');
    assert.deepEqual(a.answers?.map((x) => x.data), ['10.233.0.2']);
    assert.deepEqual((await tcpQuery(tcpPort, 'web.a')).answers?.map((x) => x.data), ['10.233.0.2']);
    assert.deepEqual((await udpQuery(udpPort, 'web', 'AAAA')).answers, []);
    assert.deepEqual((await udpQuery(udpPort, 'example.org')).answers?.map((x) => x.data), ['192.0.2.9']);
    stack = 'b';
    assert.equal((await udpQuery(udpPort, 'web')).rcode, 'NXDOMAIN');
    assert.equal((await udpQuery(udpPort, 'web.a')).rcode, 'NXDOMAIN');
  } finally {
    await dns.stop();
    upstream.close();
  }
});
