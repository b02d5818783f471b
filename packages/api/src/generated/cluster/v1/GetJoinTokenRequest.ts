// Original file: proto/cluster/v1/control.proto


export interface GetJoinTokenRequest {
  /**
   * role is "worker" or "manager".
   */
  'role'?: (string);
}

export interface GetJoinTokenRequest__Output {
  /**
   * role is "worker" or "manager".
   */
  'role': (string);
}
