import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** DataDirCheckOptions configure a DataDirCheck. */
export interface DataDirCheckOptions {
  /** dir is the agent's data dir. */
  dir: string;
  /** intervalMs is how often a write is tried. @default 5000 */
  intervalMs?: number;
  log: (msg: string) => void;
  /** onChange receives why the data dir cannot be written, or '' once it can again. */
  onChange: (error: string) => void;
}

/**
 * DataDirCheck watches whether the agent's data dir takes writes (its
 * certificates, state and log live there). Every intervalMs it writes a new
 * small file and removes it: a new file needs new space, so a full disk
 * shows, and so does a read-only or failing one. A write of the agent that
 * failed asks for a check at once (failed). A change is logged once and
 * handed to onChange; the tasks are not touched.
 */
export class DataDirCheck {
  private readonly o: DataDirCheckOptions;
  private error = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(o: DataDirCheckOptions) {
    this.o = o;
  }

  start(): void {
    this.check();
    this.timer = setInterval(() => this.check(), this.o.intervalMs ?? 5000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** check tries one write now and returns why it failed ('' when it worked). */
  check(): string {
    const file = join(this.o.dir, `.write-check-${process.pid}`);
    let error = '';
    try {
      writeFileSync(file, 'ok\n');
    } catch (err) {
      error = describeWriteError(err);
    }
    try {
      rmSync(file, { force: true });
    } catch {
      /* a read-only dir has nothing to remove */
    }
    this.set(error);
    return error;
  }

  /** failed records that a write of the agent to `what` failed, and checks the dir at once. */
  failed(what: string, err: unknown): void {
    this.o.log(`data dir: cannot write ${what}: ${describeWriteError(err)}`);
    this.check();
  }

  private set(error: string): void {
    if (error === this.error) return;
    this.error = error;
    if (error) this.o.log(`data dir: ${this.o.dir} cannot be written (${error}); the tasks run on and the manager is told`);
    else this.o.log(`data dir: ${this.o.dir} takes writes again`);
    this.o.onChange(error);
  }
}

/** describeWriteError says in a few words why a write failed: disk full, read-only, or the system's message. */
export function describeWriteError(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `disk full (${code})`;
  if (code === 'EROFS') return 'read-only filesystem (EROFS)';
  return err instanceof Error ? err.message : String(err);
}
