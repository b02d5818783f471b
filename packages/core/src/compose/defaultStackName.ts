/**
 * defaultStackName is the stack name Compose derives from a file path: the
 * name of the folder holding the file, lower-cased, with characters outside
 * [a-z0-9_-] dropped and leading "_" and "-" trimmed. It is "" when the path
 * names no folder (`stack.yml`, `./stack.yml`): pass an absolute path.
 */
export function defaultStackName(filePath: string): string {
  const parts = filePath.split(/[\\/]+/);
  parts.pop();
  const folder = parts.pop() ?? '';
  if (folder === '.' || folder === '..') return '';
  return folder
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}
