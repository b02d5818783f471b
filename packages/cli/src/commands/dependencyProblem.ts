/** The deploy-side view of depends_on: when a service waits for a dependency that will not get ready. */

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
 * dependency named in its `waiting for db: healthy` error whose tasks run
 * but are unhealthy. undefined while the wait may still end.
 */
export function dependencyProblem(stack: string, service: string, waitingError: string, tasks: readonly WaitingTask[]): string | undefined {
  if (!waitingError.startsWith('waiting for ')) return undefined;
  for (const part of waitingError.slice('waiting for '.length).split(', ')) {
    const [dep = '', condition = ''] = part.split(': ');
    const live = tasks.filter((t) => t.service === `${stack}_${dep}` && t.desiredState === 'running');
    const sick = live.find((t) => t.state === 'running' && t.health === 'unhealthy');
    if (sick !== undefined && condition.startsWith('healthy')) {
      return `deploy: ${service} waits for ${dep} to be healthy, but ${dep} is unhealthy (its healthcheck fails${sick.error ? `: ${sick.error}` : ''})`;
    }
  }
  return undefined;
}
