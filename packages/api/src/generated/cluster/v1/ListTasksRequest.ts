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
}
