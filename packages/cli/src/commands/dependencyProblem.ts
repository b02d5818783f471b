/** The deploy-side view of depends_on: when a service waits for a dependency that will not get ready. */
import type { TaskReason } from '@cluster/core';

/** WaitingTask is what dependencyProblem reads of a task. */
export interface WaitingTask {
  service: string;
  state: string;
  health: string;
  error: string;
  desiredState: string;
}

/**
 * dependencyProblem explains why a waiting service will never start: a
 * dependency its pending task waits for (`reason`, the scheduler's decision
 * as data) to be healthy, whose tasks run but are unhealthy. undefined while
 * the wait may still end, or when the task does not wait for dependencies.
 */
export function dependencyProblem(stack: string, service: string, reason: TaskReason | undefined, tasks: readonly WaitingTask[]): string | undefined {
  if (reason?.kind !== 'waiting_for_dependencies') return undefined;
  for (const wait of reason.waits) {
    const dep = wait.service;
    const live = tasks.filter((t) => t.service === `${stack}_${dep}` && t.desiredState === 'running');
    const sick = live.find((t) => t.state === 'running' && t.health === 'unhealthy');
    if (sick !== undefined && wait.condition === 'service_healthy') {
      return `deploy: ${service} waits for ${dep} to be healthy, but ${dep} is unhealthy (its healthcheck fails${sick.error ? `: ${sick.error}` : ''})`;
    }
  }
  return undefined;
}
