/**
 * The defaults of node liveness, in one place: the manager (its options and
 * its daemon's flags), `cluster init`'s flags and the agent's fallback all read
 * these, so that one default is never two numbers.
 */

/** DEFAULT_HEARTBEAT_MS is how often an agent sends a heartbeat unless the manager says otherwise. */
export const DEFAULT_HEARTBEAT_MS = 500;

/** DEFAULT_DOWN_AFTER_MS is how long a node may stay silent before the manager marks it down. */
export const DEFAULT_DOWN_AFTER_MS = 2500;
