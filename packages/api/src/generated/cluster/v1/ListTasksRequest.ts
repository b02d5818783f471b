// Original file: proto/cluster/v1/control.proto


export interface ListTasksRequest {
  /**
   * filter is a stack name or a service name (`web` or `stack_web`); empty: all.
   */
  'filter'?: (string);
  /**
   * all includes tasks whose desired state is shutdown (history).
   */
  'all'?: (boolean);
  /**
   * page_size is the most tasks in one answer; 0 or more than 10,000 means
   * 10,000 (about 2 MB, under any message limit).
   */
  'pageSize'?: (number);
  /**
   * page_token is the next_page_token of the previous answer; empty for the first page.
   */
  'pageToken'?: (string);
}

export interface ListTasksRequest__Output {
  /**
   * filter is a stack name or a service name (`web` or `stack_web`); empty: all.
   */
  'filter': (string);
  /**
   * all includes tasks whose desired state is shutdown (history).
   */
  'all': (boolean);
  /**
   * page_size is the most tasks in one answer; 0 or more than 10,000 means
   * 10,000 (about 2 MB, under any message limit).
   */
  'pageSize': (number);
  /**
   * page_token is the next_page_token of the previous answer; empty for the first page.
   */
  'pageToken': (string);
}
