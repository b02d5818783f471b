// Original file: proto/cluster/v1/dispatcher.proto

import type { Task as _cluster_v1_Task, Task__Output as _cluster_v1_Task__Output } from '../../cluster/v1/Task.js';

// Original file: proto/cluster/v1/dispatcher.proto

export const _cluster_v1_AssignmentSet_Type = {
  FULL: 'FULL',
  INCREMENTAL: 'INCREMENTAL',
} as const;

export type _cluster_v1_AssignmentSet_Type =
  | 'FULL'
  | 0
  | 'INCREMENTAL'
  | 1

export type _cluster_v1_AssignmentSet_Type__Output = typeof _cluster_v1_AssignmentSet_Type[keyof typeof _cluster_v1_AssignmentSet_Type]

export interface AssignmentSet {
  'type'?: (_cluster_v1_AssignmentSet_Type);
  /**
   * tasks are added or changed tasks (all of them, for FULL).
   */
  'tasks'?: (_cluster_v1_Task)[];
  /**
   * removed are task ids the node must forget (stop and remove if running).
   */
  'removed'?: (string)[];
  /**
   * purge_volumes are stacks removed with `cluster rm --volumes`: the node
   * deletes the named volumes labelled with them once no container uses them.
   * Every FULL set repeats them until the stack is deployed again.
   */
  'purgeVolumes'?: (string)[];
}

export interface AssignmentSet__Output {
  'type': (_cluster_v1_AssignmentSet_Type__Output);
  /**
   * tasks are added or changed tasks (all of them, for FULL).
   */
  'tasks': (_cluster_v1_Task__Output)[];
  /**
   * removed are task ids the node must forget (stop and remove if running).
   */
  'removed': (string)[];
  /**
   * purge_volumes are stacks removed with `cluster rm --volumes`: the node
   * deletes the named volumes labelled with them once no container uses them.
   * Every FULL set repeats them until the stack is deployed again.
   */
  'purgeVolumes': (string)[];
}
