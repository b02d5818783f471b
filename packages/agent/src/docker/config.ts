/**
 * Pure translation of an assignment into Docker create options: no I/O, so it
 * is tested with tables (config.test.ts).
 */
import type Dockerode from 'dockerode';
import { LABELS } from '@cluster/core';
import type { Assignment } from '../executor.js';
import { portBindings } from './ports.js';

/** NODE_ID_PREFIX_LENGTH is how much of a node id names a global task's container. */
const NODE_ID_PREFIX_LENGTH = 12;
const NS_PER_MS = 1_000_000;

/** stackNetworkName is the bridge network a stack's containers share on one node. */
export function stackNetworkName(stack: string): string {
  return `${stack}_default`;
}

/**
 * primaryNetwork is the network a task's container is made on: the stack's
 * default network when the service lists no networks or lists it (Compose
 * puts a service on `default` only then), else the first network it lists.
 * The container joins its other networks once made.
 */
export function primaryNetwork(a: Pick<Assignment, 'task' | 'spec'>): string {
  const listed = a.spec.networks ?? [];
  const fallback = stackNetworkName(a.task.stack);
  if (listed.length === 0 || listed.some((n) => n.name === fallback)) return fallback;
  return (listed[0] as { name: string }).name;
}

/**
 * containerName is `<service>.<slot>.<taskId>`; a global task (slot 0) uses the
 * node id prefix instead of the slot, as swarm does.
 */
export function containerName(a: Assignment, nodeId: string): string {
  const { task } = a;
  const slot = task.slot === 0 ? nodeId.slice(0, NODE_ID_PREFIX_LENGTH) : String(task.slot);
  return `${task.service}.${slot}.${task.id}`;
}

/** containerLabels are the user's labels plus the cluster labels, which win. */
export function containerLabels(a: Assignment, nodeId: string): Record<string, string> {
  const { task, spec } = a;
  return {
    ...spec.labels,
    [LABELS.stack]: task.stack,
    [LABELS.service]: task.service,
    [LABELS.task]: task.id,
    [LABELS.slot]: String(task.slot),
    [LABELS.spec]: String(task.specVersion),
    [LABELS.node]: nodeId,
  };
}

/** NetworkOptions are the node's name-service settings for its containers. */
export interface NetworkOptions {
  /** dns are the resolvers of the containers (the agent's DNS address). @default the engine's choice */
  dns?: string[];
  /** routingMesh: the agent listens on published ports of every node; false binds them on the task's node. @default true */
  routingMesh?: boolean;
}

/** containerConfig is the Docker create options of an assignment on a node. */
export function containerConfig(a: Assignment, nodeId: string, net: NetworkOptions = {}): Dockerode.ContainerCreateOptions {
  const { spec } = a;
  const network = primaryNetwork(a);
  const opts: Dockerode.ContainerCreateOptions = {
    name: containerName(a, nodeId),
    Image: spec.image,
    Env: Object.keys(spec.env)
      .sort()
      .map((k) => `${k}=${spec.env[k] ?? ''}`),
    Labels: containerLabels(a, nodeId),
    StopTimeout: Math.ceil(spec.stopGracePeriodMs / 1000),
    HostConfig: {
      // The manager replaces finished tasks in their slot; the engine must not restart them.
      RestartPolicy: { Name: 'no' },
      NetworkMode: network,
    },
    NetworkingConfig: {
      // The alias lets containers of the stack reach each other by the short service name.
      EndpointsConfig: { [network]: { Aliases: [spec.name] } },
    },
  };
  if (spec.command !== undefined) opts.Cmd = [...spec.command];
  if (spec.entrypoint !== undefined) opts.Entrypoint = [...spec.entrypoint];
  if (spec.workingDir) opts.WorkingDir = spec.workingDir;
  if (spec.user) opts.User = spec.user;
  if (spec.hostname) opts.Hostname = spec.hostname;
  if (spec.stopSignal) opts.StopSignal = spec.stopSignal;

  const ports = portBindings(spec, net.routingMesh ?? true);
  if (ports) {
    opts.ExposedPorts = ports.exposed;
    opts.HostConfig = { ...opts.HostConfig, PortBindings: ports.bindings };
  }
  // The agent's DNS answers service names across hosts; the engine's own resolver asks it for what it does not know.
  if (net.dns && net.dns.length > 0) opts.HostConfig = { ...opts.HostConfig, Dns: [...net.dns] };

  const hc = spec.healthcheck;
  if (hc !== undefined) {
    opts.Healthcheck =
      hc.test[0] === 'NONE'
        ? { Test: ['NONE'] }
        : {
            Test: [...hc.test],
            Interval: hc.intervalMs * NS_PER_MS,
            Timeout: hc.timeoutMs * NS_PER_MS,
            StartPeriod: hc.startPeriodMs * NS_PER_MS,
            Retries: hc.retries,
          };
  }
  return opts;
}
