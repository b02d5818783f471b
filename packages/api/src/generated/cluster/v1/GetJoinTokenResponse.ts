// Original file: proto/cluster/v1/control.proto


export interface GetJoinTokenResponse {
  'token'?: (string);
  /**
   * manager_address is the address agents should dial.
   */
  'managerAddress'?: (string);
}

export interface GetJoinTokenResponse__Output {
  'token': (string);
  /**
   * manager_address is the address agents should dial.
   */
  'managerAddress': (string);
}
