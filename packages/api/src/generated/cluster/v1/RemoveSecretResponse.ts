// Original file: proto/cluster/v1/control.proto


export interface RemoveSecretResponse {
  'name'?: (string);
}

export interface RemoveSecretResponse__Output {
  'name': (string);
}
