// Original file: proto/cluster/v1/control.proto

import type { Long } from '@grpc/proto-loader';

export interface PushImageResponse {
  /**
   * digest is "sha256:" and the hex sha256 of the archive.
   */
  'digest'?: (string);
  'bytes'?: (number | string | Long);
}

export interface PushImageResponse__Output {
  /**
   * digest is "sha256:" and the hex sha256 of the archive.
   */
  'digest': (string);
  'bytes': (number);
}
