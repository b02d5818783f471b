import { Option, type Command } from 'commander';
import { CliError, type Io } from '../io.js';
import type { Node__Output as ApiNode } from '@cluster/api';
import { connectControl, present } from '../client.js';
import { nodes } from './manage.js';
import { shown } from '../format.js';

/** registerNodeCommands adds `cluster node drain|pause|activate|label|rm|ls` to the program. */
export function registerNodeCommands(program: Command, io: Io): void {
  const manager = (): Option => new Option('--manager <addr>', 'manager address host:port (default: from CLUSTER_HOME/config.json)');
  const node = program.command('node').description('manage nodes: availability, labels, removal');

  const availability: [string, string, string][] = [
    ['drain', 'drain', 'move every task off a node and place no new ones on it'],
    ['pause', 'pause', 'place no new tasks on a node; its tasks keep running'],
    ['activate', 'active', 'let a node take tasks again'],
  ];
  for (const [cmd, value, description] of availability) {
    node.command(cmd)
      .description(description)
      .argument('<node>', 'node name or id')
      .addOption(manager())
      .action(async (name: string, o: { manager?: string }) => {
        const n = await updateNode(io, o.manager, { node: name, availability: value, addLabels: {}, removeLabels: [] });
        io.out(`node ${n.name} is ${n.availability}\n`);
      });
  }

  const label = node.command('label').description('add or remove node labels (used by node.labels.KEY constraints)');
  label.command('add')
    .description('set labels on a node: cluster node label add lab1 zone=eu disk=ssd')
    .argument('<node>', 'node name or id')
    .argument('<k=v...>', 'labels to set')
    .addOption(manager())
    .action(async (name: string, pairs: string[], o: { manager?: string }) => {
      const addLabels: Record<string, string> = {};
      for (const p of pairs) {
        const i = p.indexOf('=');
        if (i <= 0) throw new CliError(`node label add: invalid label "${p}" (k=v, for example zone=eu)`);
        addLabels[p.slice(0, i)] = p.slice(i + 1);
      }
      const n = await updateNode(io, o.manager, { node: name, availability: '', addLabels, removeLabels: [] });
      io.out(`node ${n.name} labels: ${formatLabels(n.labels)}\n`);
    });
  label.command('rm')
    .description('remove labels from a node: cluster node label rm lab1 zone')
    .argument('<node>', 'node name or id')
    .argument('<key...>', 'label keys to remove')
    .addOption(manager())
    .action(async (name: string, keys: string[], o: { manager?: string }) => {
      const bad = keys.find((k) => k.includes('='));
      if (bad) throw new CliError(`node label rm: give label keys, not k=v ("${bad}")`);
      const n = await updateNode(io, o.manager, { node: name, availability: '', addLabels: {}, removeLabels: keys });
      io.out(`node ${n.name} labels: ${formatLabels(n.labels)}\n`);
    });

  node.command('rm')
    .description('remove a node from the cluster: its certificate is refused and its tasks are rescheduled')
    .argument('<node>', 'node name or id')
    .addOption(manager())
    .action(async (name: string, o: { manager?: string }) => {
      const control = connectControl(io, o.manager);
      try {
        const r = await control.call('RemoveNode', { node: name });
        io.out(`removed node ${r.node?.name ?? name}\n`);
      } finally {
        control.close();
      }
    });

  node.command('ls')
    .description('list nodes (same as: cluster nodes)')
    .option('--format <format>', 'table or json', 'table')
    .addOption(manager())
    .action(async (o: { format?: string; manager?: string }) => nodes(io, o));
}

async function updateNode(io: Io, managerAddr: string | undefined, req: { node: string; availability: string; addLabels: Record<string, string>; removeLabels: string[] }): Promise<ApiNode> {
  const control = connectControl(io, managerAddr);
  try {
    const r = await control.call('UpdateNode', req);
    return present(r.node, 'node');
  } finally {
    control.close();
  }
}

function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${shown(k)}=${shown(v)}`);
  return pairs.length > 0 ? pairs.join(' ') : '(none)';
}
