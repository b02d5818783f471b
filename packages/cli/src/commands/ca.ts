import { renameSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { CliError, type Io } from '../io.js';
import type { CaStatus__Output as CaStatus } from '@cluster/api';
import { connectControl, present } from '../client.js';
import { readConfig } from '../config.js';
import { createKeyAndCsr } from '@cluster/api';

/** registerCaCommands adds `cluster ca rotate [--finish]` and `cluster ca status`. */
export function registerCaCommands(program: Command, io: Io): void {
  const manager = (): Option => new Option('--manager <addr>', 'manager address host:port (default: from CLUSTER_HOME/config.json)');
  const ca = program.command('ca').description('the cluster CA: rotate its key, follow a rotation');

  ca.command('rotate')
    .description('make a new CA key and certificate; nodes renew to it, your credentials in CLUSTER_HOME are re-issued by it')
    .option('--finish', 'end a rotation in progress: certificates of the previous CA are refused from now on', false)
    .addOption(manager())
    .action(async (o: { finish: boolean; manager?: string }) => (o.finish ? finish(io, o) : rotate(io, o)));

  ca.command('status')
    .description('the CA digest, and how many nodes hold a certificate of the new CA during a rotation')
    .option('--format <format>', 'table or json', 'table')
    .addOption(manager())
    .action(async (o: { format: string; manager?: string }) => {
      if (o.format !== 'table' && o.format !== 'json') throw new CliError(`ca status: unknown --format "${o.format}" (table or json)`);
      const control = connectControl(io, o.manager);
      try {
        const status = present((await control.call('GetCaStatus', {})).status, 'ca status');
        if (o.format === 'json') io.out(JSON.stringify(status, null, 2) + '\n');
        else io.out(describe(status));
      } finally {
        control.close();
      }
    });
}

/** rotate asks for a new CA with a CSR made here, then replaces the credentials in CLUSTER_HOME. */
async function rotate(io: Io, o: { manager?: string }): Promise<void> {
  const cfg = readConfig(io);
  const { keyPem, csrPem } = await createKeyAndCsr('admin');
  const control = connectControl(io, o.manager);
  let r: { certificatePem: string; caPem: string; status: CaStatus };
  try {
    const answer = await control.call('RotateCa', { csrPem }, 30000);
    r = { ...answer, status: present(answer.status, 'ca rotate') };
  } finally {
    control.close();
  }
  // The manager now serves a certificate of the new CA: trust it alone, and present the new certificate.
  replace(cfg.keyFile, keyPem, 0o600);
  replace(cfg.certFile, r.certificatePem, 0o644);
  replace(cfg.caFile, r.caPem, 0o644);
  io.out(
    `rotated the cluster CA: the new CA is ${r.status.caDigest}; your credentials in ${cfg.certFile} were re-issued by it\n` +
    describe(r.status) +
    'join tokens made before are refused; get new ones with: cluster token worker|manager\n' +
    'other operators need new credentials: cluster credentials create NAME\n',
  );
}

async function finish(io: Io, o: { manager?: string }): Promise<void> {
  const control = connectControl(io, o.manager);
  try {
    const r = await control.call('RotateCa', { finish: true });
    io.out(`finished the CA rotation: certificates of the previous CA are refused from now on\n${describe(present(r.status, 'ca rotate --finish'))}`);
  } finally {
    control.close();
  }
}

function describe(s: CaStatus): string {
  let text = `ca: ${s.caDigest}\n`;
  if (s.rotating) {
    text += `rotation in progress since ${new Date(s.startedAtMs).toISOString()}: ${s.nodesRenewed} of ${s.nodesTotal} nodes renewed; the previous CA ${s.previousCaDigest} is still trusted\n`;
    if (s.nodesPending.length > 0) text += `waiting for: ${s.nodesPending.join(', ')} (or end it now with: cluster ca rotate --finish)\n`;
  } else if (s.nodesTotal > 0) {
    text += `${s.nodesRenewed} of ${s.nodesTotal} nodes hold a certificate of this CA\n`;
  }
  return text;
}

// replace writes a file whole: to a temporary name first, then renamed over the old one.
function replace(file: string, text: string, mode: number): void {
  writeFileSync(`${file}.new`, text, { mode });
  renameSync(`${file}.new`, file);
}
