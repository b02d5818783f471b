// Original file: proto/cluster/v1/dispatcher.proto

import type { SessionAccepted as _cluster_v1_SessionAccepted, SessionAccepted__Output as _cluster_v1_SessionAccepted__Output } from '../../cluster/v1/SessionAccepted.js';
import type { AssignmentSet as _cluster_v1_AssignmentSet, AssignmentSet__Output as _cluster_v1_AssignmentSet__Output } from '../../cluster/v1/AssignmentSet.js';
import type { RegistryUpdate as _cluster_v1_RegistryUpdate, RegistryUpdate__Output as _cluster_v1_RegistryUpdate__Output } from '../../cluster/v1/RegistryUpdate.js';
import type { CaUpdate as _cluster_v1_CaUpdate, CaUpdate__Output as _cluster_v1_CaUpdate__Output } from '../../cluster/v1/CaUpdate.js';

export interface ManagerMessage {
  'accepted'?: (_cluster_v1_SessionAccepted | null);
  'assignments'?: (_cluster_v1_AssignmentSet | null);
  /**
   * registry carries the service registry: a FULL snapshot right after the
   * first assignment set, then INCREMENTAL changes (only what changed)
   * within a second of a change of any service's endpoints.
   */
  'registry'?: (_cluster_v1_RegistryUpdate | null);
  /**
   * ca_update tells the node of a new cluster CA (see CaUpdate).
   */
  'caUpdate'?: (_cluster_v1_CaUpdate | null);
  'msg'?: "accepted"|"assignments"|"registry"|"caUpdate";
}

export interface ManagerMessage__Output {
  'accepted'?: (_cluster_v1_SessionAccepted__Output | null);
  'assignments'?: (_cluster_v1_AssignmentSet__Output | null);
  /**
   * registry carries the service registry: a FULL snapshot right after the
   * first assignment set, then INCREMENTAL changes (only what changed)
   * within a second of a change of any service's endpoints.
   */
  'registry'?: (_cluster_v1_RegistryUpdate__Output | null);
  /**
   * ca_update tells the node of a new cluster CA (see CaUpdate).
   */
  'caUpdate'?: (_cluster_v1_CaUpdate__Output | null);
  'msg'?: "accepted"|"assignments"|"registry"|"caUpdate";
}
