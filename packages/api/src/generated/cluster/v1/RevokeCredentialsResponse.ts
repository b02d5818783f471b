// Original file: proto/cluster/v1/control.proto


export interface RevokeCredentialsResponse {
  /**
   * revoked counts the certificates that were ended.
   */
  'revoked'?: (number);
}

export interface RevokeCredentialsResponse__Output {
  /**
   * revoked counts the certificates that were ended.
   */
  'revoked': (number);
}
