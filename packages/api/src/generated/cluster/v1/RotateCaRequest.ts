// Original file: proto/cluster/v1/control.proto


export interface RotateCaRequest {
  /**
   * csr_pem is the calling admin's CSR; its new certificate comes from the
   * new CA, with the caller's name and the default admin lifetime.
   */
  'csrPem'?: (string);
  /**
   * finish ends a rotation in progress: the old CA is trusted no more.
   */
  'finish'?: (boolean);
}

export interface RotateCaRequest__Output {
  /**
   * csr_pem is the calling admin's CSR; its new certificate comes from the
   * new CA, with the caller's name and the default admin lifetime.
   */
  'csrPem': (string);
  /**
   * finish ends a rotation in progress: the old CA is trusted no more.
   */
  'finish': (boolean);
}
