// Original file: proto/cluster/v1/dispatcher.proto

import type { SessionAccepted as _cluster_v1_SessionAccepted, SessionAccepted__Output as _cluster_v1_SessionAccepted__Output } from '../../cluster/v1/SessionAccepted.js';
import type { AssignmentSet as _cluster_v1_AssignmentSet, AssignmentSet__Output as _cluster_v1_AssignmentSet__Output } from '../../cluster/v1/AssignmentSet.js';

export interface ManagerMessage {
  'accepted'?: (_cluster_v1_SessionAccepted | null);
  'assignments'?: (_cluster_v1_AssignmentSet | null);
  'msg'?: "accepted"|"assignments";
}

export interface ManagerMessage__Output {
  'accepted'?: (_cluster_v1_SessionAccepted__Output | null);
  'assignments'?: (_cluster_v1_AssignmentSet__Output | null);
  'msg'?: "accepted"|"assignments";
}
