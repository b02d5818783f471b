/**
 * buildContext chooses the files of a build context that are sent to the
 * engine, as the docker CLI does: the patterns of the context's
 * `.dockerignore` (`*`, `?`, `**`, `!` exceptions, comments) are applied to
 * every path, a directory that matches is skipped whole unless an exception
 * names a path inside it, and the Dockerfile and `.dockerignore` are sent
 * even when a pattern matches them. Without a `.dockerignore` everything is
 * sent.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';

// A CommonJS module whose types declare a default export: at run time that is `.default` of what is imported.
const dockerignore = dockerignoreModule.default;

/** DOCKERIGNORE is the name of the file of exclusion patterns at the root of a context. */
export const DOCKERIGNORE = '.dockerignore';

/** clean makes a pattern or path relative and slash-separated, as the docker CLI reads them. */
function clean(p: string): string {
  return posix.normalize(p.replace(/\\/g, '/')).replace(/^\/+/, '').replace(/\/+$/, '');
}

/** ignorePatterns reads the patterns of a context's `.dockerignore` without comments and blank lines; none when there is no file. */
export function ignorePatterns(context: string): string[] {
  const file = join(context, DOCKERIGNORE);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * contextFiles lists the files (and symbolic links, sent as links) of a
 * context to send, relative to it with `/` separators, in a stable order.
 * dockerfile is the Dockerfile's path relative to the context.
 */
export function contextFiles(context: string, dockerfile = 'Dockerfile'): string[] {
  const patterns = ignorePatterns(context);
  const first = dockerignore({ ignorecase: false }).add(patterns);
  // Like the docker CLI, exceptions for the build's own files come last, so they win.
  for (const f of [DOCKERIGNORE, clean(dockerfile)]) if (first.ignores(f)) patterns.push(`!${f}`);
  const ig = dockerignore({ ignorecase: false }).add(patterns);
  const exceptions = patterns.filter((p) => p.startsWith('!')).map((p) => `${clean(p.slice(1).trim())}/`);
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(rel === '' ? context : join(context, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (lstatSync(join(context, path)).isDirectory()) {
        // An ignored directory is entered only when an exception starts with its path, as the docker CLI does.
        if (!ig.ignores(path) || exceptions.some((e) => e.startsWith(`${path}/`))) walk(path);
      } else if (!ig.ignores(path)) out.push(path);
    }
  };
  walk('');
  return out;
}
