// Original file: proto/cluster/v1/control.proto


export interface CreateSecretRequest {
  /**
   * kind is "secret" or "config".
   */
  'kind'?: (string);
  /**
   * name is letters, digits, ".", "_" and "-", at most 64 characters.
   */
  'name'?: (string);
  /**
   * data is the content, at most 1 MiB, kept byte for byte.
   */
  'data'?: (Buffer | Uint8Array | string);
}

export interface CreateSecretRequest__Output {
  /**
   * kind is "secret" or "config".
   */
  'kind': (string);
  /**
   * name is letters, digits, ".", "_" and "-", at most 64 characters.
   */
  'name': (string);
  /**
   * data is the content, at most 1 MiB, kept byte for byte.
   */
  'data': (Buffer);
}
