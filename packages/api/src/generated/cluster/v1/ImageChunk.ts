// Original file: proto/cluster/v1/types.proto

import type { Long } from '@grpc/proto-loader';

/**
 * ImageChunk is a piece of a `docker save` archive; the first chunk of a
 * stream also names the image and gives its engine id and the total size.
 */
export interface ImageChunk {
  'name'?: (string);
  'imageId'?: (string);
  'data'?: (Buffer | Uint8Array | string);
  'totalBytes'?: (number | string | Long);
}

/**
 * ImageChunk is a piece of a `docker save` archive; the first chunk of a
 * stream also names the image and gives its engine id and the total size.
 */
export interface ImageChunk__Output {
  'name': (string);
  'imageId': (string);
  'data': (Buffer);
  'totalBytes': (number);
}
