// Original file: proto/cluster/v1/control.proto


export interface RemoveStackRequest {
  'name'?: (string);
  'volumes'?: (boolean);
}

export interface RemoveStackRequest__Output {
  'name': (string);
  'volumes': (boolean);
}
