// Original file: proto/cluster/v1/dispatcher.proto


export interface JoinRequest {
  'token'?: (string);
  /**
   * csr_pem is a PKCS#10 request for the node key.
   */
  'csrPem'?: (string);
  'name'?: (string);
  'advertiseAddress'?: (string);
  'labels'?: ({[key: string]: string});
  'hostname'?: (string);
}

export interface JoinRequest__Output {
  'token': (string);
  /**
   * csr_pem is a PKCS#10 request for the node key.
   */
  'csrPem': (string);
  'name': (string);
  'advertiseAddress': (string);
  'labels': ({[key: string]: string});
  'hostname': (string);
}
