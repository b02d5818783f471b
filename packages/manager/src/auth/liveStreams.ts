import * as grpc from '@grpc/grpc-js';
import type { Caller } from './caller.js';
import { endWithStatus } from '../status.js';

/** LiveStreamsOptions configure the checks of open streams. */
export interface LiveStreamsOptions {
  /**
   * check tells why a caller admitted earlier may no longer be served (its
   * certificate expired, was revoked, or its CA is no longer trusted), or
   * undefined while it may.
   */
  check: (caller: Caller) => string | undefined;
  /** log is told of every stream ended. */
  log: (line: string) => void;
  /** periodMs is how often every open stream is checked. @default 1000 */
  periodMs?: number;
}

/** StreamCall is what LiveStreams needs of a server stream: its events, its state and a way to end it. */
type StreamCall = {
  on(event: string, listener: () => void): unknown;
  emit(event: 'error', err: Error): boolean;
  getPath(): string;
  cancelled?: boolean;
  destroyed?: boolean;
  writableFinished?: boolean;
};

/**
 * LiveStreams holds the open streams (node sessions, image downloads,
 * uploads) with the caller each was admitted as, and checks them again
 * every periodMs: a certificate is checked when a stream opens and for as
 * long as it runs, so a stream ends within about a period of its
 * certificate expiring, being revoked, or its CA being retired.
 */
export class LiveStreams {
  private readonly o: LiveStreamsOptions;
  private readonly open = new Map<StreamCall, Caller>();
  private timer: NodeJS.Timeout | undefined;

  constructor(o: LiveStreamsOptions) {
    this.o = o;
  }

  /** size is the number of streams being watched. */
  get size(): number {
    return this.open.size;
  }

  /** add watches a stream admitted for `caller` until it closes. */
  add(call: StreamCall, caller: Caller): void {
    this.open.set(call, caller);
    const forget = (): void => {
      this.open.delete(call);
    };
    for (const e of ['close', 'finish', 'cancelled']) call.on(e, forget);
  }

  /** start checks every open stream every periodMs. */
  start(): void {
    this.timer = setInterval(() => this.sweep(), this.o.periodMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.open.clear();
  }

  /** sweep ends, with UNAUTHENTICATED, every open stream whose caller no longer passes the check. */
  sweep(): void {
    for (const [call, caller] of this.open) {
      if (call.cancelled === true || call.destroyed === true || call.writableFinished === true) {
        this.open.delete(call);
        continue;
      }
      const why = this.o.check(caller);
      if (why === undefined) continue;
      this.open.delete(call);
      const details = `${call.getPath()}: ${why}; the stream is ended`;
      this.o.log(`auth: ${details}`);
      endWithStatus(call, Object.assign(new Error(details), { code: grpc.status.UNAUTHENTICATED, details }));
    }
  }
}
