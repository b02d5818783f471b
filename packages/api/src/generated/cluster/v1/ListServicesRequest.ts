// Original file: proto/cluster/v1/control.proto


export interface ListServicesRequest {
  'stack'?: (string);
}

export interface ListServicesRequest__Output {
  'stack': (string);
}
