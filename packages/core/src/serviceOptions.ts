/**
 * The optional parts of a ServiceSpec (model.ts): each is present only when
 * the Compose file sets it, so a spec stays small and comparable.
 */
import type { OverlayNetwork } from './overlay.js';

/** BindPropagation is how mounts below a bind mount are shared between the node and the container. */
export type BindPropagation = 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave';

/** MountSpec is one mount of a task's container. */
export interface MountSpec {
  /** type is "volume" (a named volume of the stack), "bind" (a host path) or "tmpfs". */
  type: 'volume' | 'bind' | 'tmpfs';
  /** source is the volume's engine name (`<stack>_<vol>`, or the external name), or the host path; "" for tmpfs. */
  source: string;
  /** target is the absolute path in the container. */
  target: string;
  readOnly: boolean;
  /** sizeBytes bounds a tmpfs; 0 means no bound. */
  sizeBytes?: number;
  /** createHostPath creates a missing bind source. @default true */
  createHostPath?: boolean;
  /** propagation of a bind mount. @default the engine's ("rprivate") */
  propagation?: BindPropagation;
  /** noCopy leaves a new volume empty instead of filled with the image's files at the target. @default false */
  noCopy?: boolean;
  /** mode of a tmpfs. @default 0o1777 */
  mode?: number;
  /** external says the volume is not the stack's: it is neither created nor removed. @default false */
  external?: boolean;
  /** labels are set on a named volume when it is made (the top-level volume's `labels`). */
  labels?: Record<string, string>;
}

/** NetworkAttachment is one stack network a service joins, with its extra names there. */
export interface NetworkAttachment {
  /** name is the engine name of the network (`<stack>_<net>`, or the external name). */
  name: string;
  /** aliases are names other than the service name (`links` become aliases too). */
  aliases: string[];
  /** external says the network is not the stack's: it is neither created nor removed. @default false */
  external?: boolean;
  /** labels are set on the engine network when a node makes it (the top-level network's `labels`). */
  labels?: Record<string, string>;
}

/** Resources are CPU and memory amounts (0 = not set). */
export interface Resources {
  nanoCpus: number;
  memoryBytes: number;
  /** pids bounds the processes (limits only). */
  pids?: number;
}

/** Ulimit is a soft and a hard bound. */
export interface Ulimit {
  soft: number;
  hard: number;
}

/** DependencyCondition is when a dependency is ready for its dependents. */
export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

/** Dependency is one `depends_on` entry. */
export interface Dependency {
  /** service is the short name of the service depended on. */
  service: string;
  condition: DependencyCondition;
  /** required: when false, a missing dependency does not hold the dependent back. @default true */
  required: boolean;
  /** restart: dependents are restarted when the dependency is updated. @default false */
  restart: boolean;
}

/** FileMount is a secret or config: file content carried to the task's node and mounted read-only. */
export interface FileMount {
  /** name is the secret's or config's name in the stack. */
  name: string;
  /** target is the absolute path in the container (`/run/secrets/NAME` for a secret, `/NAME` for a config). */
  target: string;
  /** dataBase64 is the content; never logged nor listed. "" for an external one until the manager fills it in. */
  dataBase64: string;
  /**
   * external names the secret or config made in the cluster (`cluster secret
   * create`) that gives the content: the manager fills dataBase64 from it
   * when the stack is deployed. @default none: the content is in the spec
   */
  external?: string;
  /** mode is the file mode. @default 0o444 */
  mode: number;
  uid?: string;
  gid?: string;
}

/** DeviceMapping is a device of the task's node given to its container (`devices`). */
export interface DeviceMapping {
  /** source is the device's path on the node. */
  source: string;
  /** target is its path in the container. @default source */
  target: string;
  /** permissions are cgroup permissions, some of "rwm". @default "rwm" */
  permissions: string;
}

/** LoggingSpec is the engine's log driver of a service's containers (`logging`). */
export interface LoggingSpec {
  /** driver is the engine's log driver. @default "json-file" */
  driver: string;
  options: Record<string, string>;
}

/**
 * PullPolicy says when a node pulls a service's image (`pull_policy`):
 * "missing" when it lacks it, "always" before every task it creates,
 * "never" not at all (the image must be on the node or held by the
 * manager), "build" never either (the image is built by `cluster deploy`).
 */
export type PullPolicy = 'always' | 'missing' | 'never' | 'build';

/**
 * RegistryAuth are the credentials of one registry, as `docker login` keeps
 * them, that a node gives its engine to pull a service's image. They travel
 * in the spec (sealed in the manager's store, left out of listings), as
 * Swarm's `--with-registry-auth` does.
 */
export interface RegistryAuth {
  /** serverAddress is the registry (`registry.example.com:5000`, or `https://index.docker.io/v1/`). */
  serverAddress: string;
  username?: string;
  password?: string;
  /** identityToken replaces username and password for registries that give one (OAuth). */
  identityToken?: string;
}

/** BuildSpec is how the CLI builds a service's image with its local engine. */
export interface BuildSpec {
  /** context is the build context folder, absolute or relative to the Compose file. */
  context: string;
  dockerfile?: string;
  args: Record<string, string>;
  target?: string;
}

/** ServiceOptions are the optional keys of a service. */
export interface ServiceOptions {
  /** expose lists container ports other services reach without publishing them ("80/tcp"). */
  expose?: string[];
  mounts?: MountSpec[];
  /** networks are the stack networks joined; absent means the stack's `default` network. */
  networks?: NetworkAttachment[];
  init?: boolean;
  privileged?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  ulimits?: Record<string, Ulimit>;
  sysctls?: Record<string, string>;
  shmSizeBytes?: number;
  /** readOnly mounts the container's root filesystem read-only (`read_only`). @default false */
  readOnly?: boolean;
  /** tty gives the container a terminal (`tty`). @default false */
  tty?: boolean;
  /** stdinOpen keeps its standard input open (`stdin_open`). @default false */
  stdinOpen?: boolean;
  /** securityOpt are the engine's security options; a seccomp profile is inline JSON. */
  securityOpt?: string[];
  devices?: DeviceMapping[];
  /** ipc is the IPC mode. @default the engine's ("private" or "shareable") */
  ipc?: 'host' | 'private' | 'shareable' | 'none';
  logging?: LoggingSpec;
  /** macAddress is the container's MAC address on its first network, lowercase. */
  macAddress?: string;
  /** runtime is the engine's OCI runtime. @default the engine's ("runc") */
  runtime?: string;
  /** groupAdd are extra groups of the container's user (`group_add`). */
  groupAdd?: string[];
  /** dnsSearch are the resolver's search domains (`dns_search`). */
  dnsSearch?: string[];
  /** dnsOptions are resolver options such as "ndots:2" (`dns_opt`). */
  dnsOptions?: string[];
  /** domainname is the container's NIS domain name (`domainname`). */
  domainname?: string;
  /** oomScoreAdj tunes the kernel's choice under memory pressure, -1000 to 1000 (`oom_score_adj`). */
  oomScoreAdj?: number;
  /** cpuShares is the relative CPU weight (`cpu_shares`). @default the engine's (1024) */
  cpuShares?: number;
  /** extraHosts are "name:address" lines added to /etc/hosts. */
  extraHosts?: string[];
  dns?: string[];
  limits?: Resources;
  reservations?: Resources;
  /** spread are placement preferences: tasks are spread over the values of these node attributes. */
  spread?: string[];
  /** maxReplicasPerNode bounds the tasks of the service on one node; 0 means no bound. */
  maxReplicasPerNode?: number;
  /** serviceLabels are `deploy.labels`: labels of the service, not of its containers. */
  serviceLabels?: Record<string, string>;
  dependsOn?: Dependency[];
  secrets?: FileMount[];
  configs?: FileMount[];
  build?: BuildSpec;
  /** platform is asked of a pull of the image ("linux/arm64"). @default the node's */
  platform?: string;
  /** pullPolicy says when a node pulls the image. @default "missing" */
  pullPolicy?: PullPolicy;
  /**
   * pullAuth are the credentials of the image's registry, added by `cluster
   * deploy` from the `docker login` of its user (never by a Compose file);
   * never listed. @default none
   */
  pullAuth?: RegistryAuth;
  /** endpointMode `dnsrr` (`deploy.endpoint_mode`): the service's name gives its tasks' addresses instead of a VIP. @default a VIP */
  endpointMode?: 'dnsrr';
  /**
   * overlay are the allocations of the service's networks (subnet and VNI by
   * engine network name). The manager adds them to the spec an assignment
   * carries; a Compose file never sets them and the stored spec never holds them.
   */
  overlay?: Record<string, OverlayNetwork>;
}
