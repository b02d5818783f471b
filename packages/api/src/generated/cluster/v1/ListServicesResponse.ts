// Original file: proto/cluster/v1/control.proto

import type { Service as _cluster_v1_Service, Service__Output as _cluster_v1_Service__Output } from '../../cluster/v1/Service.js';

export interface ListServicesResponse {
  'services'?: (_cluster_v1_Service)[];
}

export interface ListServicesResponse__Output {
  'services': (_cluster_v1_Service__Output)[];
}
