/**
 * Engine health is node health: the EngineMonitor pings the node's container
 * engine and says when it stops or starts answering, so the agent can report
 * it (the manager then places nothing new there and, past its grace period,
 * moves the node's tasks) and reconcile once the engine is back.
 */

/** EngineMonitorOptions configure an EngineMonitor. */
export interface EngineMonitorOptions {
  /** ping resolves when the engine answers; it rejects when it cannot be reached. */
  ping: () => Promise<unknown>;
  /** onChange is told the engine's new state: '' when it answers again, else why it does not. */
  onChange: (error: string) => void;
  /** intervalMs is how often the engine is pinged. @default 1000 */
  intervalMs?: number;
  /**
   * timeoutMs: a ping with no answer within this counts as a failure: a stuck
   * engine cannot run tasks either, but is told apart from a dead one by its
   * reason. @default 10000
   */
  timeoutMs?: number;
  /** log receives one line per change. @default none */
  log?: (msg: string) => void;
}

/** EngineMonitor pings an engine on a period, and at once when asked (check), and reports changes. */
export class EngineMonitor {
  private readonly o: EngineMonitorOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  /** error is why the engine does not answer now, '' while it answers. */
  error = '';

  constructor(o: EngineMonitorOptions) {
    this.o = o;
  }

  /**
   * start begins the periodic pings (the engine is taken to answer until a
   * ping fails). Changes are told from now on; one found by a check before
   * start is told here.
   */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.error) this.tell(this.error);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * check pings now (for example when the engine's event stream broke) and
   * resolves once the state is known; a ping already under way is shared.
   */
  check(): Promise<void> {
    this.running ??= this.ping().finally(() => {
      this.running = undefined;
      this.schedule();
    });
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.check();
    }, this.o.intervalMs ?? 1000);
    this.timer.unref();
  }

  private async ping(): Promise<void> {
    const timeoutMs = this.o.timeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to a ping within ${timeoutMs} ms (engine stuck?)`)), timeoutMs);
    });
    let error = '';
    try {
      await Promise.race([this.o.ping(), deadline]);
    } catch (err) {
      error = pingError(err);
    } finally {
      clearTimeout(timer);
    }
    if (error === this.error) return;
    const was = this.error;
    this.error = error;
    if (error) this.o.log?.(`engine: unreachable: ${error}`);
    else this.o.log?.(`engine: answers again (was: ${was})`);
    if (!this.stopped) this.tell(error);
  }

  private tell(error: string): void {
    try {
      this.o.onChange(error);
    } catch (err) {
      this.o.log?.(`engine: reporting the engine's state failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** pingError is the one-line reason of a failed ping: the system error code and address when there is one. */
export function pingError(err: unknown): string {
  if (err instanceof Error) {
    const e = err as Error & { code?: string; address?: string };
    if (e.code && e.address) return `${e.code} ${e.address}`;
    return err.message.split('\n')[0] ?? String(err);
  }
  return String(err);
}
