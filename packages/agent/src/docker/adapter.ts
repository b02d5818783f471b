/**
 * The thin dockerode adapter: implements Executor against one Docker engine.
 * Engine outcomes (304, 404, 409) are read from the status code, never from
 * message text. Decisions live in worker.ts; container options in config.ts.
 */
import Dockerode from 'dockerode';
import { ClusterError, LABELS, type RegistryAuth } from '@cluster/core';
import {
  type Assignment,
  type ContainerEvent,
  type Executor,
  type ImagePull,
  type ManagedContainer,
} from '../executor.js';
import { containerConfig, containerName, primaryNetwork, stackNetworkName } from './config.js';
import { ImageLoader, type ImageSource } from './imageLoader.js';
import { applyServiceOptions, extraNetworks, type TaskFile } from './serviceOptionsConfig.js';
import { ensureVolumes, joinExtraNetworks, removeStackNetworks, removeStackVolumes, removeTaskFiles, writeTaskFiles } from './serviceResources.js';
import { stackNetworks, type OverlaySettings } from './stackNetworks.js';
import { engineError, mapLimit, reasonOf, statusOf, toManaged } from './engineAnswers.js';
import { followProgress } from './followProgress.js';

/** DEFAULT_SOCKET is where the local engine listens. */
export const DEFAULT_SOCKET = '/var/run/docker.sock';
const WATCHED_ACTIONS = ['start', 'die', 'health_status'];

/** DockerExecutorOptions tune the adapter. */
export interface DockerExecutorOptions {
  /** pullTimeoutMs bounds an image pull (`cluster join|init --pull-timeout`). @default 20000 */
  pullTimeoutMs?: number;
  /** reconnectMs is the pause before the event stream is reopened after it broke. @default 1000 */
  reconnectMs?: number;
  /** inspectConcurrency bounds the inspections list() runs at once. @default 8 */
  inspectConcurrency?: number;
  /**
   * nodeId, when set, limits list(), inspect() and events() to containers labelled
   * cluster.node=nodeId, so agents (or tests) sharing one engine never treat each
   * other's containers as orphans. @default every container with a cluster.task label
   */
  nodeId?: string;
  /** dns are the resolvers given to containers (the agent's DNS address). @default the engine's choice */
  dns?: string[];
  /** routingMesh: the agent's routing mesh serves published ports; false lets the engine bind them. @default true */
  routingMesh?: boolean;
  /** filesDir is where the secrets and configs of tasks are written (0700). @default none: a task with secrets fails */
  filesDir?: string;
  /** imageSource fetches images the manager holds (built by `cluster deploy`) before a pull is tried. @default none */
  imageSource?: ImageSource;
  /**
   * idleNetworkAgeMs: a stack network younger than this is never removed as
   * idle (another agent of the engine may be about to use it). @default 30000
   */
  idleNetworkAgeMs?: number;
  /** onEventsBroken is told when the engine's event stream ends or fails (the engine may be gone). @default none */
  onEventsBroken?: () => void;
  /** overlay makes networks part of the overlay (their subnet, this node's range, the MTU). @default plain bridge networks */
  overlay?: OverlaySettings;
}

/** engineAuth is the engine's form of registry credentials (the X-Registry-Auth header). */
function engineAuth(a: RegistryAuth): Record<string, string> {
  return {
    serveraddress: a.serverAddress,
    ...(a.username === undefined ? {} : { username: a.username }),
    ...(a.password === undefined ? {} : { password: a.password }),
    ...(a.identityToken === undefined ? {} : { identitytoken: a.identityToken }),
  };
}

/**
 * dockerFromHost makes a client from a `--docker-host` URL: `unix:///path`,
 * `tcp://host:port` or `http://host:port`. @default unix:///var/run/docker.sock
 */
export function dockerFromHost(url?: string): Dockerode {
  if (url === undefined || url === '') return new Dockerode({ socketPath: DEFAULT_SOCKET });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ClusterError('unavailable', `docker host: invalid URL "${url}"`, { cause });
  }
  switch (parsed.protocol) {
    case 'unix:':
      return new Dockerode({ socketPath: decodeURIComponent(parsed.pathname) });
    case 'tcp:':
    case 'http:':
      return new Dockerode({ host: parsed.hostname, port: parsed.port || '2375', protocol: 'http' });
    default:
      throw new ClusterError('unavailable', `docker host: unsupported scheme "${parsed.protocol}" in "${url}" (unix, tcp, http)`);
  }
}

/** dockerExecutor is the Executor of one Docker engine. */
export function dockerExecutor(docker: Dockerode, options: DockerExecutorOptions = {}): Executor {
  const pullTimeoutMs = options.pullTimeoutMs ?? 20_000;
  const reconnectMs = options.reconnectMs ?? 1_000;
  const inspectConcurrency = options.inspectConcurrency ?? 8;
  const labelFilter = options.nodeId === undefined ? [LABELS.task] : [LABELS.task, `${LABELS.node}=${options.nodeId}`];
  const loader = options.imageSource === undefined ? undefined : new ImageLoader(docker, options.imageSource);
  const networks = stackNetworks(docker, engineError, options.overlay);
  // Network changes of one stack are serialized so a removal never races a create.
  const stackLocks = new Map<string, Promise<unknown>>();

  function withStackLock<T>(stack: string, fn: () => Promise<T>): Promise<T> {
    const prev = stackLocks.get(stack) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    stackLocks.set(stack, tail);
    void tail.then(() => {
      if (stackLocks.get(stack) === tail) stackLocks.delete(stack);
    });
    return run;
  }

  /**
   * ensureNetwork makes a network of a task if missing and returns its id:
   * a stack's, or an external one, which the agent makes from the cluster's
   * allocation when this node lacks it (one made by hand is used as it is).
   */
  async function ensureNetwork(a: Assignment, name: string): Promise<string> {
    const alloc = a.spec.overlay?.[name];
    const attachment = a.spec.networks?.find((n) => n.name === name);
    if (attachment?.external !== true) return networks.ensure(name, a.task.stack, alloc, false, attachment?.labels);
    const found = (await networks.named(name))[0];
    if (found) return found.Id;
    if (!alloc) throw engineError(`network "${name}"`, new Error('external network not found on this node (create it on every node first)'));
    return networks.ensure(name, '', alloc, true);
  }

  /** prepareTask makes the volumes and extra networks of a task and writes its secrets and configs. */
  async function prepareTask(a: Assignment, primary: string): Promise<TaskFile[]> {
    try {
      await ensureVolumes(docker, a);
      for (const n of extraNetworks(a.spec, primary)) await ensureNetwork(a, n.name);
    } catch (err) {
      throw engineError('make the volumes and networks of the task', err);
    }
    const needsFiles = (a.spec.secrets?.length ?? 0) + (a.spec.configs?.length ?? 0) > 0;
    if (!needsFiles) return [];
    if (options.filesDir === undefined) throw new ClusterError('invalid_argument', 'agent: secrets and configs need a data dir for their files');
    try {
      return await writeTaskFiles(options.filesDir, a);
    } catch (err) {
      throw new ClusterError('unavailable', `agent: cannot write the secrets and configs of the task: ${(err as Error).message}`, { cause: err });
    }
  }

  async function inspect(containerId: string): Promise<ManagedContainer | undefined> {
    try {
      const info = await docker.getContainer(containerId).inspect();
      if (options.nodeId !== undefined && info.Config.Labels?.[LABELS.node] !== options.nodeId) return undefined;
      return toManaged(info);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw engineError(`inspect container ${containerId}`, err);
    }
  }

  /** pull pulls an image with the service's platform and registry credentials, within pullTimeoutMs. */
  async function pull(image: string, how: ImagePull): Promise<void> {
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, pullTimeoutMs);
    const auth = how.auth === undefined ? {} : { authconfig: engineAuth(how.auth) };
    const late = (): Error => new Error(`pull timed out after ${pullTimeoutMs}ms (the node's --pull-timeout)`);
    try {
      // The engine answers the request only once the registry has: the timeout may end it before the progress stream.
      const stream = await docker.pull(image, { abortSignal: abort.signal, ...auth, ...(how.platform === undefined ? {} : { platform: how.platform }) });
      const aborted = new Promise<never>((_, reject) => abort.signal.addEventListener('abort', () => reject(late()), { once: true }));
      aborted.catch(() => undefined);
      await Promise.race([followProgress(docker, stream), aborted]);
    } catch (err) {
      throw timedOut ? late() : err;
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  }

  /** removeStackResources removes a stack's networks once no container of the stack is left; false when one still is. */
  async function removeStackResources(stack: string): Promise<boolean> {
    const name = stackNetworkName(stack);
    return withStackLock(stack, async () => {
      try {
        const users = await docker.listContainers({ all: true, filters: { label: [`${LABELS.stack}=${stack}`] } });
        if (users.length > 0) return false;
        for (const n of await networks.named(name)) await docker.getNetwork(n.Id).remove();
        await removeStackNetworks(docker, stack);
        return true;
      } catch (err) {
        const status = statusOf(err);
        // 404: already gone; 403/409: still has endpoints (a container outside the cluster uses it).
        if (status === 404) return true;
        if (status === 403 || status === 409) return false;
        throw engineError(`remove network "${name}"`, err);
      }
    });
  }

  return {
    async list() {
      let infos: Dockerode.ContainerInfo[];
      try {
        infos = await docker.listContainers({ all: true, filters: { label: labelFilter } });
      } catch (err) {
        throw engineError('list containers', err);
      }
      // The listing has no exit code or health as data, so each container is inspected.
      const found = await mapLimit(infos, inspectConcurrency, (c) => inspect(c.Id));
      return found.filter((c): c is ManagedContainer => c !== undefined);
    },

    async ensureImage(image, how = {}) {
      const policy = how.policy ?? 'missing';
      if (policy !== 'always') {
        try {
          await docker.getImage(image).inspect();
          return;
        } catch (err) {
          if (statusOf(err) !== 404) throw engineError(`inspect image "${image}"`, err);
        }
      }
      try {
        if (loader !== undefined && (await loader.load(image))) return;
      } catch (err) {
        throw new ClusterError('not_found', `image "${image}" could not be loaded from the manager: ${reasonOf(err)}`, { cause: err });
      }
      if (policy === 'never' || policy === 'build') {
        throw new ClusterError('not_found', `image "${image}" is not on this node nor held by the manager, and pull_policy ${policy} forbids pulling it`);
      }
      try {
        await pull(image, how);
      } catch (err) {
        // Which credentials were used is said, so that a refusal tells what to fix.
        const used = how.auth === undefined ? '' : ` (pulled with the docker login of ${how.auth.serverAddress} given by cluster deploy: check it with docker login ${how.auth.serverAddress}, then deploy again)`;
        throw new ClusterError('not_found', `image "${image}" is not on this node and could not be pulled: ${reasonOf(err)}${used}`, {
          cause: err,
        });
      }
    },

    async create(a: Assignment, nodeId: string) {
      return withStackLock(a.task.stack, async () => {
        const primary = primaryNetwork(a);
        const networkId = await ensureNetwork(a, primary);
        const files = await prepareTask(a, primary);
        const config = onNetwork(applyServiceOptions(containerConfig(a, nodeId, { dns: options.dns, routingMesh: options.routingMesh ?? true }), a.spec, files), primary, networkId);
        try {
          const id = (await docker.createContainer(config)).id;
          await joinExtraNetworks(docker, id, a, primary).catch((err: unknown) => {
            throw engineError('connect container to its networks', err);
          });
          return id;
        } catch (err) {
          if (err instanceof ClusterError) throw err;
          const status = statusOf(err);
          if (status === 409) {
            // The name is taken: a container of this very task made before an agent restart is adopted.
            const existing = await inspect(containerName(a, nodeId));
            if (existing?.taskId === a.task.id) return existing.containerId;
            throw new ClusterError('invalid_argument', `docker: container name "${config.name}" is taken`, { cause: err });
          }
          if (status === 404) {
            throw new ClusterError('not_found', `image "${a.spec.image}" is not on this node: ${reasonOf(err)}`, { cause: err });
          }
          if (status === 400) throw new ClusterError('invalid_argument', `docker: create: ${reasonOf(err)}`, { cause: err });
          throw engineError('create container', err);
        }
      });
    },

    async start(containerId) {
      const container = docker.getContainer(containerId);
      try {
        await container.start();
      } catch (err) {
        if (statusOf(err) === 304) return; // already started
        // A second agent on the same engine may have made a duplicate stack
        // network in the same instant; the engine then cannot resolve the
        // name. Clear the duplicate and try once more.
        const info = await container.inspect().catch(() => undefined);
        const stack = info?.Config.Labels?.[LABELS.stack];
        const doubled: string[] = [];
        for (const name of Object.keys(info?.NetworkSettings.Networks ?? {})) if ((await networks.named(name)).length >= 2) doubled.push(name);
        if (!stack || doubled.length === 0) throw engineError(`start container ${containerId}`, err);
        await withStackLock(stack, async () => { for (const name of doubled) await networks.ensure(name, stack); });
        try {
          await container.start();
        } catch (again) {
          if (statusOf(again) === 304) return;
          throw engineError(`start container ${containerId}`, again);
        }
      }
    },

    async stop(containerId, graceMs, signal) {
      const container = docker.getContainer(containerId);
      try {
        if (signal) {
          // The stop endpoint takes a signal only from API 1.42 on: send it, wait for the exit, then kill.
          await container.kill({ signal });
          const abort = new AbortController();
          const timer = setTimeout(() => abort.abort(), graceMs ?? 10_000);
          try {
            await container.wait({ condition: 'not-running', abortSignal: abort.signal });
            return;
          } catch (err) {
            if (!abort.signal.aborted) throw err;
          } finally {
            clearTimeout(timer);
          }
          await container.kill({ signal: 'SIGKILL' });
          return;
        }
        // Without a grace the engine applies the container's own StopTimeout.
        await container.stop(graceMs === undefined ? {} : { t: Math.ceil(graceMs / 1000) });
      } catch (err) {
        const status = statusOf(err);
        // 304: already stopped; 404: gone; 409: not running (kill).
        if (status === 304 || status === 404 || status === 409) return;
        throw engineError(`stop container ${containerId}`, err);
      }
    },

    async remove(containerId) {
      try {
        if (options.filesDir !== undefined) {
          const taskId = (await inspect(containerId))?.taskId;
          if (taskId) await removeTaskFiles(options.filesDir, taskId);
        }
        await docker.getContainer(containerId).remove({ force: true, v: true });
      } catch (err) {
        const status = statusOf(err);
        if (status === 404 || status === 409) return; // gone, or its removal is already in progress
        throw engineError(`remove container ${containerId}`, err);
      }
    },

    inspect,

    async events(onEvent: (e: ContainerEvent) => void) {
      const filters = { type: ['container' as const], event: WATCHED_ACTIONS, label: labelFilter };
      let closed = false;
      let abort = new AbortController();
      let since = '';
      let timer: NodeJS.Timeout | undefined;

      const open = async (): Promise<void> => {
        abort = new AbortController();
        const opts: Dockerode.GetEventsOptions & { abortSignal: AbortSignal } = { filters, abortSignal: abort.signal };
        // Reopening from the last event seen means no die is lost while the stream was down.
        if (since) opts.since = since as unknown as number;
        const stream = await docker.getEvents(opts);
        let buf = '';
        stream.on('data', (chunk: Buffer) => {
          buf += chunk.toString('utf8');
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line) handle(line);
          }
        });
        const broken = (): void => {
          if (closed || timer) return;
          options.onEventsBroken?.();
          timer = setTimeout(() => {
            timer = undefined;
            if (!closed) open().catch(broken);
          }, reconnectMs);
        };
        stream.on('error', broken);
        stream.on('end', broken);
      };

      const handle = (line: string): void => {
        let ev: { Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> }; time?: number };
        try {
          ev = JSON.parse(line) as typeof ev;
        } catch {
          return;
        }
        // Whole seconds: reopening may repeat an event, which is harmless (the worker re-inspects).
        if (typeof ev.time === 'number') since = String(ev.time);
        const taskId = ev.Actor?.Attributes?.[LABELS.task];
        const containerId = ev.Actor?.ID;
        // health events arrive as "health_status: healthy"; the new status is read back by inspect.
        const action = (ev.Action ?? '').split(':')[0] ?? '';
        if (!taskId || !containerId || !WATCHED_ACTIONS.includes(action)) return;
        onEvent({ containerId, taskId, action });
      };

      try {
        await open();
      } catch (err) {
        throw engineError('subscribe to events', err);
      }
      return () => {
        closed = true;
        if (timer) clearTimeout(timer);
        abort.abort();
      };
    },

    async removeStackVolumes(stack) {
      try {
        await removeStackVolumes(docker, stack);
        const { Volumes } = await docker.listVolumes({ filters: { label: [`${LABELS.stack}=${stack}`] } });
        return (Volumes ?? []).length;
      } catch (err) {
        throw engineError(`remove the volumes of stack "${stack}"`, err);
      }
    },

    async removeStackResources(stack) {
      await removeStackResources(stack);
    },

    async removeIdleStacks(keep) {
      let nets: Dockerode.NetworkInspectInfo[];
      try {
        nets = await docker.listNetworks({ filters: { label: [LABELS.stack] } });
      } catch (err) {
        throw engineError('list networks', err);
      }
      const removed: string[] = [];
      const stacks = new Set(nets.map((n) => n.Labels?.[LABELS.stack] ?? '').filter((st) => st !== '' && !keep.has(st)));
      for (const stack of stacks) {
        // A network made a moment ago may be for a container another agent of this engine is about to create.
        const settled = nets.filter((n) => n.Labels?.[LABELS.stack] === stack).every((n) => Date.now() - Date.parse(n.Created) >= (options.idleNetworkAgeMs ?? 30_000));
        if (!settled) continue;
        if (await removeStackResources(stack)) removed.push(stack);
      }
      return removed;
    },
  };
}

/**
 * onNetwork points a container's network settings at a network by id instead
 * of by name; except NetworkMode for a container with a MAC address: the
 * engine (API 1.41) applies `MacAddress` only when NetworkMode names the
 * network as the network calls itself.
 */
function onNetwork(config: Dockerode.ContainerCreateOptions, name: string, networkId: string): Dockerode.ContainerCreateOptions {
  const id = config.MacAddress === undefined ? networkId : name;
  const endpoints = config.NetworkingConfig?.EndpointsConfig ?? {};
  const mine = endpoints[name];
  const rest = Object.fromEntries(Object.entries(endpoints).filter(([k]) => k !== name));
  return {
    ...config,
    HostConfig: { ...config.HostConfig, NetworkMode: config.HostConfig?.NetworkMode === name ? id : config.HostConfig?.NetworkMode },
    NetworkingConfig: { EndpointsConfig: mine ? { ...rest, [id]: mine } : rest },
  };
}
