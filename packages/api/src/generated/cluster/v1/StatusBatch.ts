// Original file: proto/cluster/v1/dispatcher.proto

import type { TaskStatus as _cluster_v1_TaskStatus, TaskStatus__Output as _cluster_v1_TaskStatus__Output } from '../../cluster/v1/TaskStatus.js';

export interface StatusBatch {
  'statuses'?: (_cluster_v1_TaskStatus)[];
}

export interface StatusBatch__Output {
  'statuses': (_cluster_v1_TaskStatus__Output)[];
}
