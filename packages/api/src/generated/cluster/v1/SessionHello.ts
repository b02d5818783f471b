// Original file: proto/cluster/v1/dispatcher.proto

import type { TaskStatus as _cluster_v1_TaskStatus, TaskStatus__Output as _cluster_v1_TaskStatus__Output } from '../../cluster/v1/TaskStatus.js';
import type { Long } from '@grpc/proto-loader';

export interface SessionHello {
  'hostname'?: (string);
  'advertiseAddress'?: (string);
  'engineVersion'?: (string);
  'nanoCpus'?: (number | string | Long);
  'memoryBytes'?: (number | string | Long);
  /**
   * observed is what the agent runs now, for tasks it knows of.
   */
  'observed'?: (_cluster_v1_TaskStatus)[];
  /**
   * engine_error is why the node's container engine does not answer now
   * ("" when it answers): the node takes no new tasks and, past the
   * manager's engine grace period, its tasks are moved like a dead host's.
   */
  'engineError'?: (string);
  /**
   * data_dir_error is why the agent cannot write its data dir now ("" when
   * it can): full, read-only or failing. The node's tasks run on; it is
   * shown with the node.
   */
  'dataDirError'?: (string);
}

export interface SessionHello__Output {
  'hostname': (string);
  'advertiseAddress': (string);
  'engineVersion': (string);
  'nanoCpus': (number);
  'memoryBytes': (number);
  /**
   * observed is what the agent runs now, for tasks it knows of.
   */
  'observed': (_cluster_v1_TaskStatus__Output)[];
  /**
   * engine_error is why the node's container engine does not answer now
   * ("" when it answers): the node takes no new tasks and, past the
   * manager's engine grace period, its tasks are moved like a dead host's.
   */
  'engineError': (string);
  /**
   * data_dir_error is why the agent cannot write its data dir now ("" when
   * it can): full, read-only or failing. The node's tasks run on; it is
   * shown with the node.
   */
  'dataDirError': (string);
}
