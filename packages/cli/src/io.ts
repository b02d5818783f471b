/** Io is where a command writes; tests pass buffers, bin.ts passes the process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** readStdin reads all of standard input as bytes (`cluster secret create NAME -`). @default none: "-" is refused */
  readStdin?: () => Promise<Buffer>;
}

/** CliError is a failure to report as one line on stderr with a non-zero exit. */
export class CliError extends Error {
  readonly exitCode: number;
  /** status is the gRPC status code of the manager's answer this error reports, if it reports one (a program tests it, never the message). */
  readonly status: number | undefined;
  constructor(message: string, exitCode = 1, status?: number) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.status = status;
  }
}
