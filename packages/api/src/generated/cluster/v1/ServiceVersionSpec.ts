// Original file: proto/cluster/v1/dispatcher.proto

import type { Long } from '@grpc/proto-loader';

/**
 * ServiceVersionSpec is the spec of one version of a service.
 */
export interface ServiceVersionSpec {
  /**
   * service is the full service name, `stack_service`.
   */
  'service'?: (string);
  'specVersion'?: (number | string | Long);
  /**
   * spec_json is the normalized service spec (core ServiceSpec) as JSON
   * (core encodeServiceSpec/decodeServiceSpec).
   */
  'specJson'?: (string);
}

/**
 * ServiceVersionSpec is the spec of one version of a service.
 */
export interface ServiceVersionSpec__Output {
  /**
   * service is the full service name, `stack_service`.
   */
  'service': (string);
  'specVersion': (number);
  /**
   * spec_json is the normalized service spec (core ServiceSpec) as JSON
   * (core encodeServiceSpec/decodeServiceSpec).
   */
  'specJson': (string);
}
