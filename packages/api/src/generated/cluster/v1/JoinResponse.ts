// Original file: proto/cluster/v1/dispatcher.proto


export interface JoinResponse {
  'nodeId'?: (string);
  'certificatePem'?: (string);
  'caPem'?: (string);
  'role'?: (string);
}

export interface JoinResponse__Output {
  'nodeId': (string);
  'certificatePem': (string);
  'caPem': (string);
  'role': (string);
}
