/** The part of tar-fs (which ships no types) that buildImages uses. */
declare module 'tar-fs' {
  import type { Readable } from 'node:stream';
  /** pack streams a tar archive of the given entries of cwd; symbolic links are stored as links. */
  export function pack(cwd: string, opts?: { entries?: string[] }): Readable;
}
