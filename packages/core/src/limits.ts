/**
 * The bounds of everything an input can make grow, in one place: the CLI's
 * loader, the manager's validation of what it receives, `cluster scale` and
 * the agent use these constants, so that one limit is never two numbers.
 */

/** MAX_REPLICAS is the largest replica count of one service (deploy and scale alike). */
export const MAX_REPLICAS = 100_000;

/** MAX_NAME_CHARS bounds a stack or service name: a DNS label (services are found by name). */
export const MAX_NAME_CHARS = 63;

/** MAX_SERVICES_PER_STACK is the largest number of services in one stack. */
export const MAX_SERVICES_PER_STACK = 1000;

/** MAX_COMPOSE_FILE_BYTES is the largest Compose file (or override file) the loader reads: 4 MiB. */
export const MAX_COMPOSE_FILE_BYTES = 4 * 1024 * 1024;

/**
 * MAX_YAML_ALIASES bounds how many times the aliases of a Compose file are
 * followed while it is read (the `yaml` package's maxAliasCount, whose
 * default of 100 is per alias): a 482-byte "billion laughs" file is refused
 * at once instead of expanding to gigabytes.
 */
export const MAX_YAML_ALIASES = 1000;

/** MAX_FILE_MOUNT_BYTES is the largest secret or config content (decoded): 1 MiB. */
export const MAX_FILE_MOUNT_BYTES = 1024 * 1024;

/** MAX_ERROR_CHARS bounds a task's or a service's error text (clipText); every listing carries it. */
export const MAX_ERROR_CHARS = 4096;

/** MAX_STACK_SPEC_BYTES is the largest stack spec (its JSON) the manager accepts in one DeployStack: 32 MiB. */
export const MAX_STACK_SPEC_BYTES = 32 * 1024 * 1024;

/**
 * DEFAULT_MAX_MESSAGE_BYTES is the gRPC message bound (sent and received) of
 * the manager, the agents and the CLI unless set otherwise: 64 MiB, above
 * the largest stack spec (MAX_STACK_SPEC_BYTES) and every chunk the
 * manager sends (assignment sets, pages of listings).
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** grpcMessageOptions are the channel options that set a gRPC message bound, sent and received. */
export function grpcMessageOptions(maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES): { 'grpc.max_send_message_length': number; 'grpc.max_receive_message_length': number } {
  return { 'grpc.max_send_message_length': maxMessageBytes, 'grpc.max_receive_message_length': maxMessageBytes };
}
