import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError, type Io } from './io.js';

/** ClientConfig is what `init` leaves in CLUSTER_HOME for later commands. */
export interface ClientConfig {
  /** manager is `host:port` of the manager. */
  manager: string;
  /** caFile, certFile, keyFile are the admin credentials. */
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** clusterHome is CLUSTER_HOME, or ~/.cluster. */
export function clusterHome(io: Io): string {
  return resolve(io.cwd, io.env.CLUSTER_HOME || join(io.env.HOME || homedir(), '.cluster'));
}

/** readConfig reads CLUSTER_HOME/config.json, with a clear error when it is missing. */
export function readConfig(io: Io): ClientConfig {
  const file = join(clusterHome(io), 'config.json');
  if (!existsSync(file)) {
    throw new CliError(`no cluster configured: ${file} is missing (run cluster init here, or set CLUSTER_HOME)`);
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ClientConfig;
  } catch (err) {
    throw new CliError(`${file}: not valid JSON (${(err as Error).message}); run cluster init again`);
  }
}

/** writeConfig copies the admin credentials from `adminDir` into CLUSTER_HOME and writes config.json. */
export function writeConfig(io: Io, manager: string, adminDir: string): ClientConfig {
  const home = clusterHome(io);
  const creds = join(home, 'credentials');
  mkdirSync(creds, { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  const cfg: ClientConfig = {
    manager,
    caFile: join(creds, 'ca.crt'),
    certFile: join(creds, 'admin.crt'),
    keyFile: join(creds, 'admin.key'),
  };
  copyFileSync(join(adminDir, 'ca.crt'), cfg.caFile);
  copyFileSync(join(adminDir, 'admin.crt'), cfg.certFile);
  copyFileSync(join(adminDir, 'admin.key'), cfg.keyFile);
  chmodSync(cfg.keyFile, 0o600);
  writeFileSync(join(home, 'config.json'), JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
  return cfg;
}
