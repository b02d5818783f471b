// Original file: proto/cluster/v1/dispatcher.proto


export interface RenewCertificateResponse {
  'certificatePem'?: (string);
}

export interface RenewCertificateResponse__Output {
  'certificatePem': (string);
}
