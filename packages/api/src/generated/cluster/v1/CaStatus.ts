// Original file: proto/cluster/v1/control.proto

import type { Long } from '@grpc/proto-loader';

/**
 * CaStatus is the cluster CA and the progress of a rotation.
 */
export interface CaStatus {
  /**
   * rotating is true while the previous CA is still trusted.
   */
  'rotating'?: (boolean);
  'caDigest'?: (string);
  /**
   * previous_ca_digest is the CA being replaced (empty unless rotating).
   */
  'previousCaDigest'?: (string);
  /**
   * nodes_renewed of nodes_total hold a certificate of the current CA.
   */
  'nodesRenewed'?: (number);
  'nodesTotal'?: (number);
  /**
   * nodes_pending names the nodes still on the previous CA.
   */
  'nodesPending'?: (string)[];
  'startedAtMs'?: (number | string | Long);
}

/**
 * CaStatus is the cluster CA and the progress of a rotation.
 */
export interface CaStatus__Output {
  /**
   * rotating is true while the previous CA is still trusted.
   */
  'rotating': (boolean);
  'caDigest': (string);
  /**
   * previous_ca_digest is the CA being replaced (empty unless rotating).
   */
  'previousCaDigest': (string);
  /**
   * nodes_renewed of nodes_total hold a certificate of the current CA.
   */
  'nodesRenewed': (number);
  'nodesTotal': (number);
  /**
   * nodes_pending names the nodes still on the previous CA.
   */
  'nodesPending': (string)[];
  'startedAtMs': (number);
}
