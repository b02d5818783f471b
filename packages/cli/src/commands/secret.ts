/**
 * `cluster secret create|ls|rm` and `cluster config create|ls|rm`: secrets
 * and configs made in the cluster, which stacks refer to with `external:
 * true` or `name:`. The content is read here as bytes (a file, or standard
 * input for "-") and sent once; nothing prints it back.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { MAX_FILE_MOUNT_BYTES, type FileKind } from '@cluster/core';
import { CliError, type Io } from '../io.js';
import { connectControl } from '../client.js';
import { ago, checkFormat, json, table } from '../format.js';

/** readContent reads what `create` stores: the file's bytes, or standard input's for "-". */
async function readContent(io: Io, kind: FileKind, file: string): Promise<Buffer> {
  if (file === '-') {
    if (io.readStdin === undefined) throw new CliError(`${kind} create: cannot read standard input here; give a file`);
    return io.readStdin();
  }
  const path = resolve(io.cwd, file);
  try {
    // Checked before reading: a file of gigabytes is never loaded.
    const size = statSync(path).size;
    if (size > MAX_FILE_MOUNT_BYTES) throw new CliError(`${kind} create: ${file} is ${size} bytes (at most ${MAX_FILE_MOUNT_BYTES} for a ${kind})`);
    return readFileSync(path);
  } catch (err) {
    if (err instanceof CliError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`${kind} create: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

/**
 * addFileCommands adds `create`, `ls` and `rm` under `parent` (the `secret`
 * command, or `config`, whose own action is the Compose lint).
 */
export function addFileCommands(parent: Command, io: Io, kind: FileKind): void {
  const manager = (): Option => new Option('--manager <addr>', 'manager address host:port (default: from CLUSTER_HOME/config.json)');
  parent.command('create')
    .description(`make a ${kind} in the cluster from a file ("-": standard input); stacks refer to it with external: true or name:`)
    .argument('<name>', `${kind} name (letters, digits, ".", "_", "-")`)
    .argument('<file>', 'file to read, or - for standard input')
    .addOption(manager())
    .action(async (name: string, file: string, o: { manager?: string }) => {
      const data = await readContent(io, kind, file);
      if (data.length > MAX_FILE_MOUNT_BYTES) throw new CliError(`${kind} create: ${data.length} bytes (at most ${MAX_FILE_MOUNT_BYTES} for a ${kind})`);
      const control = connectControl(io, o.manager);
      try {
        const r = await control.call('CreateSecret', { kind, name, data });
        io.out(`${kind} ${r.secret?.name ?? name} created (${r.secret?.bytes ?? data.length} bytes)\n`);
      } finally {
        control.close();
      }
    });

  parent.command('ls')
    .description(`list the ${kind}s made in the cluster and the services that use them (never their content)`)
    .option('--format <format>', 'table or json', 'table')
    .addOption(manager())
    .action(async (o: { format?: string; manager?: string }) => {
      const format = checkFormat(o.format);
      const control = connectControl(io, o.manager);
      try {
        const r = await control.call('ListSecrets', { kind });
        const rows = r.secrets.map((s) => ({ name: s.name, bytes: Number(s.bytes), createdAt: new Date(Number(s.createdAtMs)).toISOString(), usedBy: s.usedBy }));
        if (format === 'json') {
          io.out(json(rows));
          return;
        }
        const now = Date.now();
        io.out(table(['NAME', 'BYTES', 'CREATED', 'USED BY'], r.secrets.map((s) => [s.name, String(s.bytes), ago(Number(s.createdAtMs), now), s.usedBy.join(', ') || '-'])));
      } finally {
        control.close();
      }
    });

  parent.command('rm')
    .description(`remove ${kind}s that no service uses`)
    .argument('<name...>', `${kind} names`)
    .addOption(manager())
    .action(async (names: string[], o: { manager?: string }) => {
      const control = connectControl(io, o.manager);
      try {
        for (const name of names) {
          const r = await control.call('RemoveSecret', { kind, name });
          io.out(`${kind} ${r.name} removed\n`);
        }
      } finally {
        control.close();
      }
    });
}

/** registerSecretCommands adds `cluster secret create|ls|rm`. */
export function registerSecretCommands(program: Command, io: Io): void {
  addFileCommands(program.command('secret').description('manage secrets made in the cluster (stacks refer to them with external: true or name:)'), io, 'secret');
}
