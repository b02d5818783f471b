// Original file: proto/cluster/v1/control.proto


export interface RemoveSecretRequest {
  'kind'?: (string);
  'name'?: (string);
}

export interface RemoveSecretRequest__Output {
  'kind': (string);
  'name': (string);
}
