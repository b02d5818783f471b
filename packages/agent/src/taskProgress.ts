/**
 * The guard that a task never moves backwards in its states, as swarmkit's
 * task controller (agent/exec) keeps it: an observation that arrives late (a
 * "starting" read before the start, handled after "running"; a "running"
 * after the container has failed) is ignored instead of reported.
 */
import { isTerminal, type TaskState } from '@cluster/core';

/** STATE_RANK orders the states a task passes through on a node; every terminal state ranks last. */
const STATE_RANK: Readonly<Record<TaskState, number>> = {
  new: 0,
  pending: 1,
  assigned: 2,
  preparing: 3,
  starting: 4,
  running: 5,
  complete: 6,
  failed: 6,
  shutdown: 6,
  rejected: 6,
  orphaned: 6,
};

/**
 * movesForward tells whether a task last seen in `from` (undefined: never
 * seen) may be reported in `to`: the same state again (its health, ports or
 * error changed) or a later one. A finished task keeps its outcome: from a
 * terminal state it moves nowhere, not even to another terminal state.
 */
export function movesForward(from: TaskState | undefined, to: TaskState): boolean {
  if (from === undefined || from === to) return true;
  if (isTerminal(from)) return false;
  return STATE_RANK[to] > STATE_RANK[from];
}
