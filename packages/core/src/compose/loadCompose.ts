import type { FileReader } from './context.js';
import type { LoadOptions, LoadResult } from './LoadOptions.js';
import { loadStack } from './loadStack.js';

/**
 * loadCompose reads one Compose file, given as text, into a StackSpec. It
 * never throws on bad input: it collects every problem with its position and
 * YAML path. When the YAML itself is broken it reports only the syntax errors.
 */
export function loadCompose(text: string, options: LoadOptions): LoadResult {
  const readFile: FileReader = (path) => (path === options.file ? text : options.readFile?.(path));
  return loadStack({ ...options, files: [options.file], readFile });
}
