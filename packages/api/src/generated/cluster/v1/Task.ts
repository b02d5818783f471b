// Original file: proto/cluster/v1/types.proto

import type { PortMapping as _cluster_v1_PortMapping, PortMapping__Output as _cluster_v1_PortMapping__Output } from '../../cluster/v1/PortMapping.js';
import type { NetworkAddress as _cluster_v1_NetworkAddress, NetworkAddress__Output as _cluster_v1_NetworkAddress__Output } from '../../cluster/v1/NetworkAddress.js';
import type { TaskReason as _cluster_v1_TaskReason, TaskReason__Output as _cluster_v1_TaskReason__Output } from '../../cluster/v1/TaskReason.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Task is one replica slot of a service, placed on one node.
 */
export interface Task {
  'id'?: (string);
  'stack'?: (string);
  /**
   * service is the full service name, `stack_service`.
   */
  'service'?: (string);
  /**
   * slot is 1..N in replicated mode, 0 in global mode (node_id says which).
   */
  'slot'?: (number);
  /**
   * node_id is empty until the scheduler places the task.
   */
  'nodeId'?: (string);
  /**
   * desired_state is "running" or "shutdown".
   */
  'desiredState'?: (string);
  /**
   * state is the observed state: new, pending, assigned, preparing, starting,
   * running, complete, failed, shutdown, rejected, orphaned.
   */
  'state'?: (string);
  'containerId'?: (string);
  /**
   * error is the task's problem in words, as shown (a failure the agent
   * reports, or formatTaskReason of reason). Nothing reads it back: what a
   * program acts on is reason.
   */
  'error'?: (string);
  /**
   * spec_version is the service spec version this task runs.
   */
  'specVersion'?: (number | string | Long);
  /**
   * spec_json is the normalized service spec (core ServiceSpec) as JSON. It is
   * carried as JSON so the Compose surface can grow without a wire change,
   * and because it costs less than a message (BENCHMARKS.md, "Specs on the
   * wire"); made and read only by core encodeServiceSpec/decodeServiceSpec.
   * spec_version says which one it is.
   */
  'specJson'?: (string);
  'createdAtMs'?: (number | string | Long);
  'updatedAtMs'?: (number | string | Long);
  'exitCode'?: (number);
  /**
   * health is "", "starting", "healthy" or "unhealthy".
   */
  'health'?: (string);
  /**
   * node_name is filled in listings for people; the manager ignores it.
   */
  'nodeName'?: (string);
  /**
   * ports are the host ports the task's target ports answer on.
   */
  'ports'?: (_cluster_v1_PortMapping)[];
  /**
   * networks are the task container's addresses on its overlay networks.
   */
  'networks'?: (_cluster_v1_NetworkAddress)[];
  /**
   * reason is why a pending task is not placed, as data (unset otherwise).
   */
  'reason'?: (_cluster_v1_TaskReason | null);
}

/**
 * Task is one replica slot of a service, placed on one node.
 */
export interface Task__Output {
  'id': (string);
  'stack': (string);
  /**
   * service is the full service name, `stack_service`.
   */
  'service': (string);
  /**
   * slot is 1..N in replicated mode, 0 in global mode (node_id says which).
   */
  'slot': (number);
  /**
   * node_id is empty until the scheduler places the task.
   */
  'nodeId': (string);
  /**
   * desired_state is "running" or "shutdown".
   */
  'desiredState': (string);
  /**
   * state is the observed state: new, pending, assigned, preparing, starting,
   * running, complete, failed, shutdown, rejected, orphaned.
   */
  'state': (string);
  'containerId': (string);
  /**
   * error is the task's problem in words, as shown (a failure the agent
   * reports, or formatTaskReason of reason). Nothing reads it back: what a
   * program acts on is reason.
   */
  'error': (string);
  /**
   * spec_version is the service spec version this task runs.
   */
  'specVersion': (number);
  /**
   * spec_json is the normalized service spec (core ServiceSpec) as JSON. It is
   * carried as JSON so the Compose surface can grow without a wire change,
   * and because it costs less than a message (BENCHMARKS.md, "Specs on the
   * wire"); made and read only by core encodeServiceSpec/decodeServiceSpec.
   * spec_version says which one it is.
   */
  'specJson': (string);
  'createdAtMs': (number);
  'updatedAtMs': (number);
  'exitCode': (number);
  /**
   * health is "", "starting", "healthy" or "unhealthy".
   */
  'health': (string);
  /**
   * node_name is filled in listings for people; the manager ignores it.
   */
  'nodeName': (string);
  /**
   * ports are the host ports the task's target ports answer on.
   */
  'ports': (_cluster_v1_PortMapping__Output)[];
  /**
   * networks are the task container's addresses on its overlay networks.
   */
  'networks': (_cluster_v1_NetworkAddress__Output)[];
  /**
   * reason is why a pending task is not placed, as data (unset otherwise).
   */
  'reason': (_cluster_v1_TaskReason__Output | null);
}
