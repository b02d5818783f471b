// entryPoint chooses what bin/cluster.js runs: the bundle that
// scripts/bundle-cli.mjs made (bundle/cluster.js) while no file it was made
// from changed since, else the compiled modules (dist/bin.js).
import { readFileSync, statSync } from 'node:fs';

/** entryPoint returns the URL of the CLI's entry module; cliDir is the URL of packages/cli/. */
export function entryPoint(cliDir) {
  const bundle = new URL('bundle/cluster.js', cliDir);
  try {
    const { builtAtMs, inputs } = JSON.parse(readFileSync(new URL('bundle/inputs.json', cliDir), 'utf8'));
    statSync(bundle);
    // About 70 files: well under a millisecond.
    if (inputs.every((p) => statSync(new URL(p, cliDir)).mtimeMs < builtAtMs)) return bundle.href;
  } catch {
    // No bundle (a build by tsc -b alone, or no esbuild), or an input gone: the compiled modules.
  }
  return new URL('dist/bin.js', cliDir).href;
}
