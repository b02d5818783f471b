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
}
