import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_DOWN_AFTER_MS, DEFAULT_HEARTBEAT_MS, clipText, escapeControl } from '@cluster/core';
import { CliError, type Io } from './io.js';
import { init, join_ } from './commands/cluster.js';
import { registerSecurityCommands } from './commands/security.js';
import { registerCaCommands } from './commands/ca.js';
import { composeConfig } from './commands/composeConfig.js';
import { deploy } from './commands/deploy.js';
import { nodes, ps, rm, scale, services } from './commands/manage.js';
import { registerNodeCommands } from './commands/node.js';
import { addFileCommands, registerSecretCommands } from './commands/secret.js';
import { cliVersion } from './version.js';

/**
 * run is the whole `cluster` CLI as a function: it parses argv (without the
 * node and script entries), runs the command, and returns the exit status.
 * It never calls process.exit.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const program = new Command('cluster')
    .description('Deploy Compose stacks across hosts: a manager schedules service replicas onto agents.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError(false)
    .version(cliVersion(), '-V, --version', 'print the version of cluster')
    .addHelpText('after', '\nEnvironment:\n  CLUSTER_HOME             client config and admin credentials (default: ~/.cluster)\n  CLUSTER_CONNECT_TIMEOUT  how long to wait for a connection to the manager (default: 10s)\n  CLUSTER_CALL_TIMEOUT     how long to wait for each answer once connected (default: 30s)\n');
  const manager = (): Option => new Option('--manager <addr>', 'manager address host:port (default: from CLUSTER_HOME/config.json)');

  program.command('init')
    .description('create a cluster on this host (or resume the one in --data-dir): runs the manager and a local agent')
    .option('--listen <host:port>', 'address the manager listens on', '0.0.0.0:7700')
    .option('--advertise <addr>', 'address other hosts reach this host on (default: the listen address, or 127.0.0.1)')
    .option('--data-dir <dir>', 'folder for the CA, keys and store (default: $CLUSTER_HOME/data)')
    .option('--name <node>', 'name of the local node (default: the hostname)')
    .option('--no-agent', 'run only the manager, no agent on this host')
    .option('--docker-host <url>', 'Docker engine of the local agent (default: unix:///var/run/docker.sock)')
    .option('--heartbeat-ms <n>', 'agent heartbeat period in ms', String(DEFAULT_HEARTBEAT_MS))
    .option('--down-after-ms <n>', 'a node silent this long is marked down (ms)', String(DEFAULT_DOWN_AFTER_MS))
    .option('--engine-grace-ms <n>', 'a node whose engine does not answer is marked down after this (ms)', '3000')
    .option('--cert-ttl <duration>', 'lifetime of node certificates, renewed by agents at 50-80% of it (default: 24h)')
    .option('--max-message-bytes <n>', 'bound of a gRPC message of the manager and the local agent, sent or received (default: 67108864, 64 MiB)')
    .option('--pull-timeout <duration>', 'how long the local agent waits for an image pull, such as 5m (default: 20s)')
    .action(async (o) => init(io, o));

  program.command('join')
    .description('join this host to a cluster as a node: runs an agent')
    .argument('<addr>', 'manager address host:port')
    .requiredOption('--token <token>', 'join token (from: cluster token worker)')
    .option('--name <node>', 'node name (default: the hostname)')
    .option('--advertise <addr>', 'address other hosts reach this host on (default: the address used to reach the manager)')
    .option('--data-dir <dir>', 'folder for the node key and certificates (default: $CLUSTER_HOME/data)')
    .option('--docker-host <url>', 'Docker engine to drive (default: unix:///var/run/docker.sock)')
    .option('--label <k=v>', 'node label, repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--max-message-bytes <n>', 'bound of a gRPC message of the agent, sent or received (default: 67108864, 64 MiB)')
    .option('--pull-timeout <duration>', 'how long the agent waits for an image pull, such as 5m (default: 20s)')
    .action(async (addr: string, o) => join_(io, addr, o));

  const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
  /** stackFiles adds the options that say how a stack's files are read (deploy and config), and --strict. */
  const stackFiles = (cmd: Command): Command => cmd
    .option('-c, --compose-file <file>', 'Compose file; give several to merge override files onto the first, in order', collect)
    .option('--env-file <file>', 'variables for interpolation, instead of the .env beside the first file (repeatable)', collect)
    .option('--profile <name>', 'activate a profile: its services are included (repeatable; "*" for all)', collect)
    .option('--name <stack>', 'stack name (default: the file\'s `name:`, else its folder name)')
    .option('--strict', 'make every warning about the files an error', false);
  /** filesOf is the positional file, then those of -c. */
  const filesOf = (file: string | undefined, o: { composeFile?: string[] }): string[] => [...(file === undefined ? [] : [file]), ...(o.composeFile ?? [])];
  stackFiles(program.command('deploy')
    .description('create or update a stack from Compose files and wait until it converged')
    .argument('[file]', 'Compose file'))
    .option('-d, --detach', 'return once the manager stored the stack', false)
    .option('--dry-run', 'validate and show what would change, change nothing', false)
    .option('--timeout <duration>', 'how long to wait for convergence', '120s')
    .option('--no-registry-auth', 'do not send your docker login credentials of the stack\'s registries to the nodes (they pull without)')
    .addOption(manager())
    .action(async (file: string | undefined, o) => {
      const files = filesOf(file, o);
      if (files.length === 0) throw new CliError('deploy: give a Compose file (cluster deploy stack.yml)');
      await deploy(io, files, o);
    });

  const config = program.command('config');
  // `cluster config create|ls|rm` manage configs made in the cluster; any other `cluster config …` is the Compose lint.
  addFileCommands(config, io, 'config');
  stackFiles(config
    .description('validate Compose files and print the normalized stack; needs no manager (for CI). cluster config create|ls|rm manage configs made in the cluster')
    .argument('[file]', 'Compose file (default: compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml here)'))
    .option('--format <format>', 'yaml or json', 'yaml')
    .option('-q, --quiet', 'print only problems, not the stack', false)
    .action((file: string | undefined, o) => composeConfig(io, filesOf(file, o), o));

  program.command('scale')
    .description('set the replica count of services: cluster scale web=3 worker=0')
    .argument('<service=n...>', 'service (web or stack_web) and replica count')
    .option('--stack <stack>', 'stack of short service names')
    .addOption(manager())
    .action(async (pairs: string[], o) => scale(io, pairs, o));

  program.command('services')
    .description('list services')
    .argument('[stack]', 'only this stack')
    .option('--format <format>', 'table or json', 'table')
    .addOption(manager())
    .action(async (stack: string | undefined, o) => services(io, stack, o));

  program.command('ps')
    .description('list tasks of a stack or a service')
    .argument('[filter]', 'stack or service name')
    .option('-a, --all', 'include finished tasks (history)', false)
    .option('--format <format>', 'table or json', 'table')
    .addOption(manager())
    .action(async (filter: string | undefined, o) => ps(io, filter, o));

  program.command('nodes')
    .description('list nodes')
    .option('--format <format>', 'table or json', 'table')
    .addOption(manager())
    .action(async (o) => nodes(io, o));

  registerNodeCommands(program, io);
  registerSecretCommands(program, io);

  program.command('rm')
    .description('remove a stack: its services and containers on every node')
    .argument('<stack>', 'stack name')
    .option('--volumes', 'also remove its named volumes', false)
    .option('-d, --detach', 'do not wait for the containers to stop', false)
    .addOption(manager())
    .action(async (stack: string, o) => rm(io, stack, o));

  registerSecurityCommands(program, io);
  registerCaCommands(program, io);

  program.command('version')
    .description('print the version of cluster (as --version does)')
    .action(() => io.out(`${cliVersion()}\n`));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return err.exitCode || 2;
    }
    if (err instanceof CliError) {
      io.err(`cluster: ${printable(err.message)}\n`);
      return err.exitCode;
    }
    io.err(`cluster: ${printable(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
}

/**
 * printable makes an error message safe for the terminal: it may quote the
 * manager or a node (a task error, a refusal's details), so every control
 * character but the line breaks of a message of several lines (a stack
 * file's problems, each with its caret line) is written as a visible escape,
 * and the whole is clipped.
 */
function printable(message: string): string {
  return escapeControl(clipText(message, 20_000), '\n');
}
