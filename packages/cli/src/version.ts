import { readFileSync } from 'node:fs';

/**
 * cliVersion is the version of the `cluster` command: the `version` of the
 * CLI package's package.json, one folder above both dist/ and bundle/ (so the
 * compiled modules, the bundle and an installed package read the same file).
 */
export function cliVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
