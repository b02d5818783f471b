/**
 * How the adapter reads the engine's answers: an error's status code and
 * message (never its text, for decisions), and an inspected container as a
 * ManagedContainer.
 */
import type Dockerode from 'dockerode';
import { ClusterError, LABELS, type NetworkAddress } from '@cluster/core';
import type { Health, ManagedContainer } from '../executor.js';
import { boundPorts } from './ports.js';

/** ZERO_TIME is how the engine writes "never" (StartedAt of a container never started). */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** statusOf is the HTTP status of an engine error, 0 if it has none. */
export function statusOf(err: unknown): number {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : 0;
}

/** reasonOf is the engine's own message of an error, falling back to the error's message. */
export function reasonOf(err: unknown): string {
  const json = (err as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message;
  return err instanceof Error ? err.message : String(err);
}

/** engineError is a retryable error of the engine, naming what was done. */
export function engineError(what: string, err: unknown): ClusterError {
  return new ClusterError('unavailable', `docker: ${what}: ${reasonOf(err)}`, { cause: err, retryable: true });
}

function healthOf(status: string | undefined): Health {
  return status === 'starting' || status === 'healthy' || status === 'unhealthy' ? status : '';
}

/** toManaged reads an inspected container of a task; undefined for a container of no task. */
export function toManaged(info: Dockerode.ContainerInspectInfo): ManagedContainer | undefined {
  const labels = info.Config.Labels ?? {};
  const taskId = labels[LABELS.task];
  if (taskId === undefined) return undefined;
  const state = info.State;
  return {
    containerId: info.Id,
    taskId,
    stack: labels[LABELS.stack] ?? '',
    service: labels[LABELS.service] ?? '',
    slot: Number(labels[LABELS.slot] ?? 0),
    specVersion: Number(labels[LABELS.spec] ?? 0),
    running: state.Running,
    exitCode: state.ExitCode,
    startedAt: !state.StartedAt || state.StartedAt === ZERO_TIME ? '' : state.StartedAt,
    health: healthOf(state.Health?.Status),
    error: state.Error ?? '',
    ports: boundPorts(info.NetworkSettings?.Ports),
    networks: state.Running ? networkAddresses(info.NetworkSettings?.Networks) : [],
  };
}

/** networkAddresses lists a running container's IPv4 address and MAC on each of its networks, by network name. */
export function networkAddresses(nets: Record<string, { IPAddress?: string; MacAddress?: string }> | undefined): NetworkAddress[] {
  const out: NetworkAddress[] = [];
  for (const [network, n] of Object.entries(nets ?? {})) {
    if (n.IPAddress && n.MacAddress) out.push({ network, address: n.IPAddress, mac: n.MacAddress.toLowerCase() });
  }
  return out.sort((a, b) => (a.network < b.network ? -1 : a.network > b.network ? 1 : 0));
}

/** mapLimit runs fn over items with at most `limit` calls in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
