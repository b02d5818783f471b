import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatStack } from '@cluster/core';
import { CliError, type Io } from '../io.js';
import { loadStackFile, type StackFileOptions } from './deploy.js';

/** ConfigOptions are the flags of `cluster config`. */
export interface ConfigOptions extends StackFileOptions {
  /** format is yaml or json. @default yaml */
  format: string;
  /** quiet validates only, printing nothing but problems. @default false */
  quiet: boolean;
}

/** DEFAULT_FILES are the files Compose reads, in order, when none is given. */
const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/**
 * composeConfig validates Compose files and prints the normalized stack, with
 * no manager: it reads neither CLUSTER_HOME nor the network, so CI can lint a
 * stack. Problems are reported as `deploy` reports them; any error exits
 * non-zero.
 */
export function composeConfig(io: Io, files: string[], o: ConfigOptions): void {
  if (o.format !== 'yaml' && o.format !== 'json') throw new CliError(`config: invalid --format "${o.format}" (yaml or json)`);
  let list = files;
  if (list.length === 0) {
    const found = DEFAULT_FILES.find((f) => existsSync(resolve(io.cwd, f)));
    if (found === undefined) throw new CliError(`config: no Compose file here (${DEFAULT_FILES.join(', ')}); give one with -c FILE`);
    list = [found];
  }
  const spec = loadStackFile(io, list, o, 'config');
  if (!o.quiet) io.out(formatStack(spec, o.format));
}
