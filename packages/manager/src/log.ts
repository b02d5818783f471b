/** Logger writes one line per event to stderr, prefixed with time and level. */
export interface Logger {
  info(msg: string, ...extra: unknown[]): void;
  warn(msg: string, ...extra: unknown[]): void;
  error(msg: string, ...extra: unknown[]): void;
}

/** consoleLogger is a Logger on stderr; quiet drops info lines. */
export function consoleLogger(component: string, quiet = false): Logger {
  const line = (level: string, msg: string, extra: unknown[]): void => {
    const tail = extra.map((e) => (e instanceof Error ? e.stack ?? e.message : JSON.stringify(e))).join(' ');
    process.stderr.write(`${new Date().toISOString()} ${level} ${component}: ${msg}${tail ? ' ' + tail : ''}\n`);
  };
  return {
    info: (m, ...e) => { if (!quiet) line('info', m, e); },
    warn: (m, ...e) => line('warn', m, e),
    error: (m, ...e) => line('error', m, e),
  };
}
