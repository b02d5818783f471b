// Original file: proto/cluster/v1/control.proto

import type { Task as _cluster_v1_Task, Task__Output as _cluster_v1_Task__Output } from '../../cluster/v1/Task.js';

/**
 * ListTasksResponse is one page of tasks in a fixed order (service, slot,
 * node, newest first). Pages are taken from the tasks as they are when each
 * is asked for: a task that changes between two pages may be listed twice or
 * not at all.
 */
export interface ListTasksResponse {
  'tasks'?: (_cluster_v1_Task)[];
  /**
   * next_page_token asks for the next page; empty when this is the last.
   */
  'nextPageToken'?: (string);
  /**
   * total is how many tasks match, over all pages.
   */
  'total'?: (number);
}

/**
 * ListTasksResponse is one page of tasks in a fixed order (service, slot,
 * node, newest first). Pages are taken from the tasks as they are when each
 * is asked for: a task that changes between two pages may be listed twice or
 * not at all.
 */
export interface ListTasksResponse__Output {
  'tasks': (_cluster_v1_Task__Output)[];
  /**
   * next_page_token asks for the next page; empty when this is the last.
   */
  'nextPageToken': (string);
  /**
   * total is how many tasks match, over all pages.
   */
  'total': (number);
}
