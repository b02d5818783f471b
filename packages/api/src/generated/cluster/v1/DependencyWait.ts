// Original file: proto/cluster/v1/types.proto


/**
 * DependencyWait is one dependency (depends_on) a task waits for.
 */
export interface DependencyWait {
  /**
   * service is the short name of the service depended on.
   */
  'service'?: (string);
  /**
   * condition is "service_started", "service_healthy" or "service_completed_successfully".
   */
  'condition'?: (string);
  /**
   * deployed is false when the required dependency is not deployed at all.
   */
  'deployed'?: (boolean);
}

/**
 * DependencyWait is one dependency (depends_on) a task waits for.
 */
export interface DependencyWait__Output {
  /**
   * service is the short name of the service depended on.
   */
  'service': (string);
  /**
   * condition is "service_started", "service_healthy" or "service_completed_successfully".
   */
  'condition': (string);
  /**
   * deployed is false when the required dependency is not deployed at all.
   */
  'deployed': (boolean);
}
