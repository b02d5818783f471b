// Original file: proto/cluster/v1/dispatcher.proto


/**
 * NodeAddresses is the full list of node addresses.
 */
export interface NodeAddresses {
  'addresses'?: (string)[];
}

/**
 * NodeAddresses is the full list of node addresses.
 */
export interface NodeAddresses__Output {
  'addresses': (string)[];
}
