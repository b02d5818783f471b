import { ClusterError } from '@cluster/core';

/** FULL are the codes of a write refused for want of space: SQLite's and the system's. */
const FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);
/** UNWRITABLE are the codes of a disk that refuses writes for another reason (read-only, I/O error). */
const UNWRITABLE = /^(SQLITE_IOERR|SQLITE_READONLY|SQLITE_CANTOPEN)|^(EROFS|EIO)$/;

/**
 * diskWriteError turns a failed write to the manager's disk (its store, its
 * image folder) into a ClusterError that says what happened and what to do,
 * keeping the original as its cause; it returns undefined for any other
 * failure. A full disk is `resource_exhausted` (retryable: the same call
 * works once space is freed), a read-only or failing one
 * `failed_precondition`. `where` names the file or folder written.
 */
export function diskWriteError(err: unknown, where: string): ClusterError | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  const detail = err instanceof Error ? err.message : String(err);
  if (FULL.has(code)) {
    return new ClusterError('resource_exhausted', `manager: the manager's disk is full (${where}: ${detail}); the change was not made: free space on that disk and try again (reads and running tasks are unaffected)`, { cause: err, retryable: true });
  }
  if (UNWRITABLE.test(code)) {
    return new ClusterError('failed_precondition', `manager: the manager's disk refuses writes (${where}: ${code}: ${detail}); the change was not made: check that disk (reads and running tasks are unaffected)`, { cause: err, retryable: true });
  }
  return undefined;
}
