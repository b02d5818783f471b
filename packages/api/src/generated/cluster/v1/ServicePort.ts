// Original file: proto/cluster/v1/dispatcher.proto


/**
 * ServicePort is one port of a service; published is 0 when not published.
 */
export interface ServicePort {
  'target'?: (number);
  'published'?: (number);
  /**
   * protocol is "tcp" or "udp".
   */
  'protocol'?: (string);
  /**
   * mode is "ingress" or "host".
   */
  'mode'?: (string);
}

/**
 * ServicePort is one port of a service; published is 0 when not published.
 */
export interface ServicePort__Output {
  'target': (number);
  'published': (number);
  /**
   * protocol is "tcp" or "udp".
   */
  'protocol': (string);
  /**
   * mode is "ingress" or "host".
   */
  'mode': (string);
}
