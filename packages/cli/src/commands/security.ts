import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { parseDuration } from '@cluster/core';
import { CliError, type Io } from '../io.js';
import { connectControl } from '../client.js';
import { readConfig } from '../config.js';
import { createKeyAndCsr } from '@cluster/api';
import { rotateToken, token } from './token.js';

const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * registerSecurityCommands adds `cluster token worker|manager`, `cluster
 * token rotate worker|manager` and `cluster credentials create|revoke NAME`.
 */
export function registerSecurityCommands(program: Command, io: Io): void {
  const manager = (): Option => new Option('--manager <addr>', 'manager address host:port (default: from CLUSTER_HOME/config.json)');

  program.command('token')
    .description('print a join token (cluster token worker|manager), or make every earlier one invalid (cluster token rotate worker|manager)')
    .argument('<role>', 'worker or manager, or "rotate"')
    .argument('[rotated]', 'with rotate: worker or manager')
    .option('--ttl <duration>', 'lifetime of the token, for example 1h or 30m (default: 24h)')
    .option('--single-use', 'the token is refused after its first successful join', false)
    .option('--label <k=v>', 'a node label a node joining with this token may ask for (cluster join --label k=v), repeatable; others are refused at join', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('-q, --quiet', 'print only the token', false)
    .addOption(manager())
    .action(async (role: string, rotated: string | undefined, o: { ttl?: string; singleUse: boolean; quiet: boolean; label: string[]; manager?: string }) => {
      if (role === 'rotate') {
        if (!rotated) throw new CliError('token rotate: give a role (cluster token rotate worker|manager)');
        await rotateToken(io, rotated, o);
        return;
      }
      if (rotated !== undefined) throw new CliError(`token: unexpected argument "${rotated}" (cluster token worker|manager)`);
      const labels: Record<string, string> = {};
      for (const p of o.label) {
        const i = p.indexOf('=');
        if (i <= 0) throw new CliError(`token --label: invalid label "${p}" (k=v, for example zone=eu)`);
        labels[p.slice(0, i)] = p.slice(i + 1);
      }
      await token(io, role, { ...o, labels, ttlMs: o.ttl === undefined ? 0 : durationMs('token --ttl', o.ttl) });
    });

  const credentials = program.command('credentials')
    .description('admin credentials for more operators or CI jobs');

  credentials.command('create')
    .description('mint admin credentials for NAME: the key is made here, only its CSR goes to the manager; writes a folder usable as CLUSTER_HOME')
    .argument('<name>', 'operator or job name (lowercase letters, digits, "_" and "-")')
    .option('--out <dir>', 'folder to write ca.crt, admin.crt, admin.key and config.json to (default: ./NAME)')
    .option('--ttl <duration>', 'lifetime of the certificate, for example 720h (default: 8760h)')
    .addOption(manager())
    .action(async (name: string, o: { out?: string; ttl?: string; manager?: string }) => createCredentials(io, name, o));

  credentials.command('revoke')
    .description('end every certificate issued to NAME; its holder is refused from now on')
    .argument('<name>', 'operator or job name')
    .addOption(manager())
    .action(async (name: string, o: { manager?: string }) => {
      const control = connectControl(io, o.manager);
      try {
        const r = await control.call('RevokeCredentials', { name });
        io.out(`revoked ${r.revoked} certificate${r.revoked === 1 ? '' : 's'} of ${name}\n`);
      } finally {
        control.close();
      }
    });
}

/** createCredentials makes a key, has the manager sign its CSR and writes a CLUSTER_HOME for NAME. */
async function createCredentials(io: Io, name: string, o: { out?: string; ttl?: string; manager?: string }): Promise<void> {
  if (!NAME_RE.test(name)) throw new CliError(`credentials create: invalid name "${name}" (lowercase letters, digits, "_" and "-")`);
  const ttlMs = o.ttl === undefined ? 0 : durationMs('credentials create --ttl', o.ttl);
  const out = resolve(io.cwd, o.out ?? name);
  if (existsSync(join(out, 'admin.key'))) throw new CliError(`credentials create: ${out} already holds credentials; choose another --out`);
  const managerAddress = o.manager || readConfig(io).manager;
  const { keyPem, csrPem } = await createKeyAndCsr(name);
  const control = connectControl(io, o.manager);
  let r: { certificatePem: string; caPem: string };
  try {
    r = await control.call('CreateCredentials', { name, csrPem, ttlMs });
  } finally {
    control.close();
  }
  mkdirSync(out, { recursive: true, mode: 0o700 });
  chmodSync(out, 0o700);
  const cfg = { manager: managerAddress, caFile: join(out, 'ca.crt'), certFile: join(out, 'admin.crt'), keyFile: join(out, 'admin.key') };
  writeFileSync(cfg.keyFile, keyPem, { mode: 0o600 });
  writeFileSync(cfg.certFile, r.certificatePem, { mode: 0o644 });
  writeFileSync(cfg.caFile, r.caPem, { mode: 0o644 });
  writeFileSync(join(out, 'config.json'), JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
  io.out(`credentials for ${name} written to ${out}; use them with: CLUSTER_HOME=${out} cluster nodes\n`);
}

/** durationMs reads a duration flag such as 24h, 30m or 1h30m. */
export function durationMs(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new CliError(`${flag}: invalid duration "${text}" (for example 24h, 30m, 1h30m)`);
  return ms;
}
