// Original file: proto/cluster/v1/control.proto


export interface ListSecretsRequest {
  /**
   * kind is "secret" or "config".
   */
  'kind'?: (string);
}

export interface ListSecretsRequest__Output {
  /**
   * kind is "secret" or "config".
   */
  'kind': (string);
}
