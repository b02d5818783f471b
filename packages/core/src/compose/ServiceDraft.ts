import type { RestartPolicy, ServiceSpec } from '../model.js';
import type { LoadContext } from './context.js';
import type { Entry } from './nodes.js';
import type { PortOrigin } from './normalizePorts.js';
import { DEFAULT_RESTART } from './normalizeRestart.js';

/**
 * ServiceDraft is a service being read: the spec with its defaults, plus what
 * a decision needs once every key is read (`deploy.restart_policy` wins over
 * `restart` whatever their order).
 */
export interface ServiceDraft {
  spec: ServiceSpec;
  /** restartKey is the policy read from `restart`. */
  restartKey?: { policy: RestartPolicy; entry: Entry };
  /** deployRestart is the policy read from `deploy.restart_policy`. */
  deployRestart?: RestartPolicy;
  /** replicasEntry is where `deploy.replicas` was written. */
  replicasEntry?: Entry;
  /** pullPolicyEntry is where `pull_policy` was written. */
  pullPolicyEntry?: Entry;
  /** buildEntry is where `build` was written. */
  buildEntry?: Entry;
  /** portOrigins says where each of spec.ports was written. */
  portOrigins: PortOrigin[];
  /** envFromFiles are the variables of `env_file`; `environment` wins over them. */
  envFromFiles: Record<string, string>;
  /** links are the aliases `links` give to other services. */
  links: { service: string; alias: string }[];
  /** containerName is `container_name`, kept as a name alias. */
  containerName?: string;
  /** scale is the service key `scale` (Compose's replica count) and where it was written. */
  scale?: { replicas: number; entry: Entry };
  /** macAddressEntry is where `mac_address` was written. */
  macAddressEntry?: Entry;
  /** dependsOnEntry is where `depends_on` was written. */
  dependsOnEntry?: Entry;
  /** legacyBounds are the resource bounds of `cpus`, `mem_limit`, `mem_reservation` and `pids_limit`, applied once `deploy` is read. */
  legacyBounds: LegacyBound[];
}

/** LegacyBound is a resource bound read from a key outside `deploy` (`mem_limit`, …): which bound it sets, and where it was written. */
export interface LegacyBound {
  kind: 'limits' | 'reservations';
  field: 'nanoCpus' | 'memoryBytes' | 'pids';
  /** deployName names the same bound under deploy.resources, for messages. */
  deployName: string;
  value: number;
  entry: Entry;
}

/** KeyNormalizer reads one key of a service (or of its deploy section) into the draft. */
export type KeyNormalizer = (ctx: LoadContext, entry: Entry, draft: ServiceDraft) => void;

/** newServiceDraft starts a service with every default. */
export function newServiceDraft(name: string): ServiceDraft {
  return {
    spec: {
      name,
      image: '',
      env: {},
      labels: {},
      ports: [],
      mode: 'replicated',
      replicas: 1,
      restart: { ...DEFAULT_RESTART },
      constraints: [],
      stopGracePeriodMs: 10_000,
    },
    portOrigins: [],
    envFromFiles: {},
    links: [],
    legacyBounds: [],
  };
}
