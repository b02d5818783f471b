// Original file: proto/cluster/v1/dispatcher.proto

import type { Task as _cluster_v1_Task, Task__Output as _cluster_v1_Task__Output } from '../../cluster/v1/Task.js';
import type { ServiceVersionSpec as _cluster_v1_ServiceVersionSpec, ServiceVersionSpec__Output as _cluster_v1_ServiceVersionSpec__Output } from '../../cluster/v1/ServiceVersionSpec.js';

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

/**
 * AssignmentSet is a node's assignments (FULL) or a change of them
 * (INCREMENTAL). A set larger than the manager's chunk bound (4 MiB by
 * default, under the gRPC message limit) is sent as several messages of the
 * same type: every one but the last says `more`, and the node applies them
 * as one set once the last arrives.
 */
export interface AssignmentSet {
  'type'?: (_cluster_v1_AssignmentSet_Type);
  /**
   * tasks are added or changed tasks (all of them, for FULL). Their spec_json
   * is empty: the spec of their service version is in specs, once.
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
  /**
   * specs carry each service version's spec once for the tasks of this
   * message (a 300 KB config used by 16 replicas is sent once, not 16 times).
   */
  'specs'?: (_cluster_v1_ServiceVersionSpec)[];
  /**
   * more says that further messages of this set follow.
   */
  'more'?: (boolean);
}

/**
 * AssignmentSet is a node's assignments (FULL) or a change of them
 * (INCREMENTAL). A set larger than the manager's chunk bound (4 MiB by
 * default, under the gRPC message limit) is sent as several messages of the
 * same type: every one but the last says `more`, and the node applies them
 * as one set once the last arrives.
 */
export interface AssignmentSet__Output {
  'type': (_cluster_v1_AssignmentSet_Type__Output);
  /**
   * tasks are added or changed tasks (all of them, for FULL). Their spec_json
   * is empty: the spec of their service version is in specs, once.
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
  /**
   * specs carry each service version's spec once for the tasks of this
   * message (a 300 KB config used by 16 replicas is sent once, not 16 times).
   */
  'specs': (_cluster_v1_ServiceVersionSpec__Output)[];
  /**
   * more says that further messages of this set follow.
   */
  'more': (boolean);
}
