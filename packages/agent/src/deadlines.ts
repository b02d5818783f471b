/**
 * Every engine call has a deadline: withDeadlines wraps an Executor so that a
 * call the engine does not answer in time fails with ClusterError('timeout')
 * instead of holding the task (and a place among the worker's concurrent
 * operations) for ever. A stuck engine is told apart from a dead one by that
 * code: a dead engine refuses the connection at once.
 */
import { ClusterError } from '@cluster/core';
import type { Executor } from './executor.js';

/** DeadlineOptions are the deadlines of engine calls. */
export interface DeadlineOptions {
  /** callMs bounds one engine call (inspect, create, start, remove, …). @default 10000 */
  callMs?: number;
  /**
   * imageMs bounds making an image present (loading it from the manager or
   * pulling it), which moves whole images. @default 300000
   */
  imageMs?: number;
  /** stopGraceMs is the grace assumed for a stop that names none (the container's own applies). @default 10000 */
  stopGraceMs?: number;
}

/** within runs a call and rejects with ClusterError('timeout') if it has not settled within ms. */
export function within<T>(what: string, ms: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ClusterError('timeout', `docker: ${what}: no answer from the engine within ${ms} ms (engine stuck or overloaded)`, { retryable: true })),
      ms,
    );
  });
  return Promise.race([call(), deadline]).finally(() => clearTimeout(timer));
}

/** withDeadlines returns an Executor whose every call has a deadline. */
export function withDeadlines(executor: Executor, o: DeadlineOptions = {}): Executor {
  const callMs = o.callMs ?? 10_000;
  const imageMs = o.imageMs ?? 300_000;
  const stopGraceMs = o.stopGraceMs ?? 10_000;
  const short = (id: string): string => id.slice(0, 12);
  const wrapped: Executor = {
    list: () => within('list containers', callMs, () => executor.list()),
    ensureImage: (image, pull) => within(`make image "${image}" present`, imageMs, () => executor.ensureImage(image, pull)),
    create: (a, nodeId) => within(`create the container of task ${a.task.id}`, callMs, () => executor.create(a, nodeId)),
    start: (id) => within(`start container ${short(id)}`, callMs, () => executor.start(id)),
    // A stop waits for the container's grace period before the engine answers.
    stop: (id, graceMs, signal) => within(`stop container ${short(id)}`, callMs + (graceMs ?? stopGraceMs), () => executor.stop(id, graceMs, signal)),
    remove: (id) => within(`remove container ${short(id)}`, callMs, () => executor.remove(id)),
    inspect: (id) => within(`inspect container ${short(id)}`, callMs, () => executor.inspect(id)),
    events: (onEvent) => within('subscribe to events', callMs, () => executor.events(onEvent)),
  };
  const { removeStackResources, removeStackVolumes, removeIdleStacks } = executor;
  if (removeIdleStacks) wrapped.removeIdleStacks = (keep) => within('remove the networks of idle stacks', callMs, () => removeIdleStacks.call(executor, keep));
  if (removeStackResources) wrapped.removeStackResources = (stack) => within(`remove the networks of stack "${stack}"`, callMs, () => removeStackResources.call(executor, stack));
  if (removeStackVolumes) wrapped.removeStackVolumes = (stack) => within(`remove the volumes of stack "${stack}"`, callMs, () => removeStackVolumes.call(executor, stack));
  return wrapped;
}
