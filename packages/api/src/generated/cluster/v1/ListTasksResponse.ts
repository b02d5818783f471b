// Original file: proto/cluster/v1/control.proto

import type { Task as _cluster_v1_Task, Task__Output as _cluster_v1_Task__Output } from '../../cluster/v1/Task.js';

export interface ListTasksResponse {
  'tasks'?: (_cluster_v1_Task)[];
}

export interface ListTasksResponse__Output {
  'tasks': (_cluster_v1_Task__Output)[];
}
