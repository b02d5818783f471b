// Original file: proto/cluster/v1/control.proto


export interface HasImageRequest {
  'name'?: (string);
  'imageId'?: (string);
}

export interface HasImageRequest__Output {
  'name': (string);
  'imageId': (string);
}
