// Original file: proto/cluster/v1/control.proto


export interface RemoveStackResponse {
  'services'?: (string)[];
}

export interface RemoveStackResponse__Output {
  'services': (string)[];
}
