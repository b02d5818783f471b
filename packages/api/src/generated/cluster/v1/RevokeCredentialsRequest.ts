// Original file: proto/cluster/v1/control.proto


export interface RevokeCredentialsRequest {
  'name'?: (string);
}

export interface RevokeCredentialsRequest__Output {
  'name': (string);
}
