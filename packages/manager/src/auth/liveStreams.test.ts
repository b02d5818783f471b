import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { LiveStreams } from './liveStreams.js';
import type { Caller } from './caller.js';

class FakeCall extends EventEmitter {
  ended: (Error & { code?: grpc.status; details?: string }) | undefined;
  constructor(private readonly path: string) {
    super();
    // grpc-js ends a server stream when it emits 'error'.
    this.on('error', (e: Error) => { this.ended = e; });
  }
  /** end is the status the stream was ended with, if any. */
  end(): { code?: grpc.status; details?: string } | undefined {
    return this.ended;
  }
  getPath(): string {
    return this.path;
  }
}

test('a sweep ends with UNAUTHENTICATED the streams whose caller no longer passes, and forgets closed ones', () => {
  const lines: string[] = [];
  const bad = new Set<string>();
  const live = new LiveStreams({ check: (c) => (bad.has(c.name) ? `the certificate of node ${c.name} expired` : undefined), log: (l) => lines.push(l) });
  const caller = (name: string): Caller => ({ kind: 'node', name, certRole: 'worker' });
  const a = new FakeCall('/cluster.v1.Dispatcher/Session');
  const b = new FakeCall('/cluster.v1.Dispatcher/FetchImage');
  const c = new FakeCall('/cluster.v1.Dispatcher/Session');
  live.add(a, caller('a'));
  live.add(b, caller('b'));
  live.add(c, caller('c'));
  c.emit('close');
  assert.equal(live.size, 2);
  live.sweep();
  assert.equal(a.end(), undefined);
  bad.add('a');
  bad.add('c');
  live.sweep();
  assert.equal(a.end()?.code, grpc.status.UNAUTHENTICATED);
  assert.equal(a.end()?.details, '/cluster.v1.Dispatcher/Session: the certificate of node a expired; the stream is ended');
  assert.equal(b.end(), undefined);
  assert.equal(c.end(), undefined, 'a closed stream is not touched');
  assert.equal(live.size, 1);
  assert.deepEqual(lines, ['auth: /cluster.v1.Dispatcher/Session: the certificate of node a expired; the stream is ended']);
});
