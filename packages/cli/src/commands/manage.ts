import { isTerminal, type TaskState } from '@cluster/core';
import { CliError, type Io } from '../io.js';
import * as grpc from '@grpc/grpc-js';
import { connectControl, listTasks } from '../client.js';
import { reasonFromApi, taskProblem } from '../reason.js';
import { ago, checkFormat, json, table } from '../format.js';

import type { Node__Output as ApiNode, Task__Output as ApiTask } from '@cluster/api';

/** scale sets replica counts: `web=3 worker=0`. */
export async function scale(io: Io, pairs: string[], o: { stack?: string; manager?: string }): Promise<void> {
  if (pairs.length === 0) throw new CliError('scale: give at least one SERVICE=N');
  const targets = pairs.map((p) => {
    const m = /^([^=]+)=(.*)$/.exec(p);
    if (!m) throw new CliError(`scale: invalid argument "${p}" (SERVICE=N, for example web=3)`);
    if (!/^\d+$/.test(m[2]!)) throw new CliError(`scale: invalid replica count "${m[2]}" for ${m[1]} (a whole number, 0 or more)`);
    return { service: m[1]!, replicas: Number(m[2]) };
  });
  const control = connectControl(io, o.manager);
  try {
    const r = await control.call('ScaleServices', { targets, stack: o.stack ?? '' });
    for (const s of r.services) io.out(`${s.name} scaled to ${s.replicas}\n`);
  } finally {
    control.close();
  }
}

/** services lists services with their running and desired counts. */
export async function services(io: Io, stack: string | undefined, o: { format?: string; manager?: string }): Promise<void> {
  const format = checkFormat(o.format);
  const control = connectControl(io, o.manager);
  try {
    const r = await control.call('ListServices', { stack: stack ?? '' });
    if (format === 'json') {
      io.out(json(r.services.map((s) => ({ name: s.name, stack: s.stack, mode: s.mode, replicas: s.replicas, running: s.running, image: s.image, converged: s.converged, error: s.error }))));
      return;
    }
    io.out(table(['NAME', 'MODE', 'REPLICAS', 'IMAGE', 'ERROR'], r.services.map((s) => [s.name, s.mode, `${s.running}/${s.desired}`, s.image, s.error])));
  } finally {
    control.close();
  }
}

/** ps lists the tasks of a stack or service (all, with --all, history too). */
export async function ps(io: Io, filter: string | undefined, o: { format?: string; all: boolean; manager?: string }): Promise<void> {
  const format = checkFormat(o.format);
  const control = connectControl(io, o.manager);
  try {
    const r = { tasks: await listTasks(control, filter ?? '', o.all) };
    if (format === 'json') {
      io.out(json(r.tasks.map((t) => ({
        id: t.id, stack: t.stack, service: t.service, slot: t.slot, node: t.nodeName || t.nodeId, nodeId: t.nodeId,
        desiredState: t.desiredState, state: t.state, containerId: t.containerId, error: taskProblem(t), exitCode: t.exitCode,
        health: t.health, specVersion: t.specVersion, updatedAt: new Date(t.updatedAtMs).toISOString(),
        ...(t.reason ? { reason: reasonFromApi(t.reason) } : {}),
      }))));
      return;
    }
    const now = Date.now();
    io.out(table(['ID', 'NAME', 'NODE', 'DESIRED', 'STATE', 'ERROR'], r.tasks.map((t) => [
      t.id, `${t.service}.${t.slot || t.nodeId.slice(0, 6)}`, t.nodeName || t.nodeId || '-', t.desiredState,
      `${t.state}${t.health ? ` (${t.health})` : ''} ${ago(t.updatedAtMs, now)}`, taskProblem(t),
    ])));
  } finally {
    control.close();
  }
}

/** nodeStatusText is a node's status with why it cannot run tasks, if it cannot. */
function nodeStatusText(n: Pick<ApiNode, 'status' | 'statusMessage' | 'engineError' | 'dataDirError'>): string {
  if (n.statusMessage && n.status !== 'ready') return `${n.status} (${n.statusMessage})`;
  if (n.engineError) return `${n.status} (engine unreachable: ${n.engineError})`;
  if (n.dataDirError) return `${n.status} (data dir cannot be written: ${n.dataDirError})`;
  return n.status;
}

/** nodes lists the nodes of the cluster. */
export async function nodes(io: Io, o: { format?: string; manager?: string }): Promise<void> {
  const format = checkFormat(o.format);
  const control = connectControl(io, o.manager);
  try {
    const r = await control.call('ListNodes', {});
    if (format === 'json') {
      io.out(json(r.nodes.map((n) => ({ id: n.id, name: n.name, role: n.role, address: n.address, status: n.status, availability: n.availability, labels: n.labels, hostname: n.hostname, engineVersion: n.engineVersion, statusMessage: n.statusMessage, engine: n.engineError ? 'unreachable' : 'ok', engineError: n.engineError ?? '', dataDir: n.dataDirError ? 'failing' : 'ok', dataDirError: n.dataDirError ?? '' }))));
      return;
    }
    io.out(table(['ID', 'NAME', 'ROLE', 'ADDRESS', 'STATUS', 'AVAILABILITY', 'ENGINE'], r.nodes.map((n) => [
      n.id, n.name, n.role, n.address, nodeStatusText(n), n.availability, n.engineVersion,
    ])));
  } finally {
    control.close();
  }
}

/** rm removes a stack and, unless --detach, waits until its tasks are gone. */
export async function rm(io: Io, stack: string, o: { volumes: boolean; detach: boolean; manager?: string }): Promise<void> {
  const control = connectControl(io, o.manager);
  try {
    const r = await control.call('RemoveStack', { name: stack, volumes: o.volumes });
    for (const s of r.services) io.out(`removed ${s}\n`);
    if (o.detach) return;
    const deadline = Date.now() + 60000;
    for (;;) {
      // Once the last task is gone the stack name no longer resolves: done.
      const t = await listTasks(control, stack, true).then((tasks) => ({ tasks })).catch((err: unknown) => {
        if (err instanceof CliError && err.status === grpc.status.NOT_FOUND) return { tasks: [] as ApiTask[] };
        throw err;
      });
      // A task is gone from its node once it has finished, whatever it was told.
      const live = t.tasks.filter((x) => x.nodeId && !isTerminal(x.state as TaskState));
      if (live.length === 0) return;
      if (Date.now() > deadline) throw new CliError(`rm: ${live.length} tasks of ${stack} still stopping after 60s`);
      await new Promise((res) => setTimeout(res, 200));
    }
  } finally {
    control.close();
  }
}
