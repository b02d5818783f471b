// Original file: proto/cluster/v1/dispatcher.proto


/**
 * CaUpdate hands a node the CAs to trust from now on. With renew, the node
 * renews its certificate at once (RenewCertificate) to get one of the new
 * CA; its session stays open.
 */
export interface CaUpdate {
  'trustBundlePem'?: (string);
  'renew'?: (boolean);
}

/**
 * CaUpdate hands a node the CAs to trust from now on. With renew, the node
 * renews its certificate at once (RenewCertificate) to get one of the new
 * CA; its session stays open.
 */
export interface CaUpdate__Output {
  'trustBundlePem': (string);
  'renew': (boolean);
}
