// Original file: proto/cluster/v1/types.proto


/**
 * NetworkAddress is where a task's container answers on one of its networks.
 */
export interface NetworkAddress {
  /**
   * network is the engine name of the network (`stack_default`, `stack_back`, an external name).
   */
  'network'?: (string);
  /**
   * address is the container's IPv4 address on it.
   */
  'address'?: (string);
  /**
   * mac is the container's MAC address on it.
   */
  'mac'?: (string);
}

/**
 * NetworkAddress is where a task's container answers on one of its networks.
 */
export interface NetworkAddress__Output {
  /**
   * network is the engine name of the network (`stack_default`, `stack_back`, an external name).
   */
  'network': (string);
  /**
   * address is the container's IPv4 address on it.
   */
  'address': (string);
  /**
   * mac is the container's MAC address on it.
   */
  'mac': (string);
}
