// Original file: proto/cluster/v1/dispatcher.proto


export interface FetchImageRequest {
  'name'?: (string);
}

export interface FetchImageRequest__Output {
  'name': (string);
}
