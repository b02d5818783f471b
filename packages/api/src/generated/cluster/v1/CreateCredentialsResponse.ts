// Original file: proto/cluster/v1/control.proto


export interface CreateCredentialsResponse {
  'certificatePem'?: (string);
  'caPem'?: (string);
}

export interface CreateCredentialsResponse__Output {
  'certificatePem': (string);
  'caPem': (string);
}
