import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, rmSync, statfsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CliError } from './io.js';

const require = createRequire(import.meta.url);

/** daemonMain finds the entry point of the manager or agent program. */
export function daemonMain(which: 'manager' | 'agent'): string {
  // Resolved at run time by package name: the CLI runs these programs, it
  // does not import their code.
  return join(dirname(require.resolve(`@cluster/${which}/package.json`)), 'dist', 'main.js');
}

/** Daemon is a started background program. */
export interface Daemon {
  pid: number;
  logFile: string;
}

/**
 * startDaemon runs `node <main> args…` detached, with output appended to
 * `logFile`, and waits until `ready()` says it is up. If the program exits
 * first, the error carries the end of its log.
 */
export async function startDaemon(o: {
  which: 'manager' | 'agent';
  args: string[];
  logFile: string;
  ready: () => boolean | Promise<boolean>;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}): Promise<Daemon> {
  const fd = openSync(o.logFile, 'a');
  const logStart = fstatSync(fd).size;
  const child = spawn(process.execPath, [daemonMain(o.which), ...o.args], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: o.env ?? process.env,
  });
  closeSync(fd);
  let exited: number | null = null;
  child.once('exit', (code) => { exited = code ?? 1; });
  child.unref();
  const deadline = Date.now() + o.timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== null) throw new CliError(`${o.which} exited with code ${exited}: ${whyExited(o.logFile, logStart)} (log: ${o.logFile})`);
    if (await o.ready()) return { pid: child.pid!, logFile: o.logFile };
    await sleep(100);
  }
  throw new CliError(`${o.which} did not become ready within ${o.timeoutMs / 1000}s: ${lastLine(o.logFile)} (log: ${o.logFile})`);
}

/** alivePid returns the pid in `file` if that process is alive. */
export function alivePid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const pid = Number((/"pid":\s*(\d+)/.exec(text) ?? /^(\d+)/.exec(text.trim()))?.[1]);
  if (!pid) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  // A killed daemon whose parent has not reaped it still answers signal 0.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/^\d+ \(.*\) Z/.test(stat)) return undefined;
  } catch {
    /* no /proc: trust the signal */
  }
  return pid;
}

/** removeIfStale deletes a pid or ready file whose process is gone. */
export function removeIfStale(file: string): void {
  if (existsSync(file) && alivePid(file) === undefined) rmSync(file, { force: true });
}

/**
 * whyExited is the last line a daemon wrote to its log since `from`; a daemon
 * that wrote none on a full disk could not: that is said instead.
 */
function whyExited(file: string, from: number): string {
  let grew = true;
  try {
    grew = statSync(file).size > from;
  } catch {
    /* no log at all: say what there is */
  }
  if (!grew) {
    try {
      const fs = statfsSync(dirname(file));
      if (fs.bavail === 0) return `the disk of ${dirname(file)} is full (nothing could be written to the log): free space on it and start again`;
    } catch {
      /* no statfs: fall through */
    }
    return 'nothing was written to its log';
  }
  return lastLine(file);
}

/** lastLine is the last line of a daemon's log that is not part of a stack trace (those say where, not what). */
function lastLine(file: string): string {
  try {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    for (let i = lines.length - 1; i >= 0; i--) if (!/^\s+at\s|^\s*\^+\s*$|^\s*$|^Node\.js v\d/.test(lines[i]!)) return lines[i]!;
    return lines[lines.length - 1] ?? '';
  } catch {
    return '';
  }
}

/** sleep waits `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
