// Original file: proto/cluster/v1/control.proto


export interface HasImageResponse {
  'present'?: (boolean);
}

export interface HasImageResponse__Output {
  'present': (boolean);
}
