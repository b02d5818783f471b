// Original file: proto/cluster/v1/control.proto


export interface RotateJoinTokenRequest {
  'role'?: (string);
}

export interface RotateJoinTokenRequest__Output {
  'role': (string);
}
