/**
 * What the worker reports about a task, as pure functions: the state a
 * container shows, and the next observation made from the last one and what
 * changed (fields not given carry over while the state stays the same).
 */
import type { NetworkAddress, PortMapping, TaskState } from '@cluster/core';
import type { Assignment, Health, ManagedContainer, Observation } from './executor.js';

/** ObservedFields are the parts of an observation a report may set; the others carry over or reset. */
export interface ObservedFields {
  containerId?: string;
  error?: string;
  exitCode?: number;
  health?: Health;
  ports?: PortMapping[];
  networks?: NetworkAddress[];
}

/** containerState is the state a container shows, and what it tells about it. */
export function containerState(c: ManagedContainer): { state: TaskState; fields: ObservedFields } {
  if (c.running) return { state: 'running', fields: { health: c.health, error: '', ports: c.ports ?? [], networks: c.networks ?? [] } };
  if (c.startedAt === '') return { state: 'starting', fields: { error: c.error } };
  if (c.exitCode === 0) return { state: 'complete', fields: { exitCode: 0, health: c.health, error: '' } };
  return { state: 'failed', fields: { exitCode: c.exitCode, health: c.health, error: c.error || `exited with code ${c.exitCode}` } };
}

/**
 * nextObservation makes the observation of a task in `state` from the last
 * one (prev): the error, exit code and health carry over while the state
 * stays the same; ports and network addresses hold only while it runs.
 */
export function nextObservation(prev: Observation | undefined, taskId: string, containerId: string, state: TaskState, fields: ObservedFields, now: number): Observation {
  const same = prev?.state === state;
  const next: Observation = {
    taskId,
    state,
    containerId: fields.containerId ?? containerId,
    error: fields.error ?? (same ? prev.error : ''),
    exitCode: fields.exitCode ?? (same ? prev.exitCode : 0),
    health: fields.health ?? (same ? prev.health : ''),
    observedAt: now,
  };
  // Ports hold only while the task runs.
  const ports = state === 'running' ? (fields.ports ?? (same ? prev.ports : undefined) ?? []) : [];
  if (ports.length > 0) next.ports = ports;
  // So do the container's network addresses (the engine's start event reads them when the start did not).
  const networks = state === 'running' ? (fields.networks ?? (same ? prev.networks : undefined) ?? []) : [];
  if (networks.length > 0) next.networks = networks;
  return next;
}

/** sameObservation tells whether two observations say the same (their times aside): nothing to report. */
export function sameObservation(a: Observation, b: Observation): boolean {
  return (
    a.state === b.state &&
    a.containerId === b.containerId &&
    a.error === b.error &&
    a.exitCode === b.exitCode &&
    a.health === b.health &&
    JSON.stringify(a.ports ?? []) === JSON.stringify(b.ports ?? []) &&
    JSON.stringify(a.networks ?? []) === JSON.stringify(b.networks ?? [])
  );
}

/** hasHealthcheck tells whether a spec asks the engine to check health. */
export function hasHealthcheck(a: Assignment): boolean {
  const hc = a.spec.healthcheck;
  return hc !== undefined && hc.test.length > 0 && hc.test[0] !== 'NONE';
}
