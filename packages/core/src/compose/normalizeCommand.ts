import { isScalar } from 'yaml';
import type { LoadContext, ValueNode } from './context.js';
import { describe, readStringList } from './nodes.js';
import { splitShellWords } from './splitShellWords.js';

/**
 * normalizeCommand reads `command` or `entrypoint`: a string split into words
 * as a shell would (quotes honoured, nothing expanded) or a list of strings.
 */
export function normalizeCommand(ctx: LoadContext, node: ValueNode | undefined, path: string): string[] | undefined {
  if (isScalar(node) && typeof node.value === 'string') {
    const split = splitShellWords(node.value);
    if (split.error !== undefined) ctx.errorInValue(node, path, `invalid command ${JSON.stringify(node.value)} (${split.error})`, split.offset);
    return split.words;
  }
  if (isScalar(node) && typeof node.value !== 'object') {
    ctx.error(node, path, `expected a string or a list of strings, got ${describe(node)}`);
    return undefined;
  }
  return readStringList(ctx, node, path);
}
