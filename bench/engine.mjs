/**
 * The engine side of the benchmarks: one Docker event stream that times
 * container starts and removals by label (the same observer for `cluster`,
 * Swarm and the bare engine), the floor (containers made in parallel
 * through dockerode, on the default bridge or on a network of their own),
 * and Docker Swarm driven by its own CLI.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';

const run = promisify(execFile);

/** IMAGE is the local image every benchmark runs. */
export const IMAGE = 'cluster-test/busybox:latest';
/** COMMAND keeps a container running; SIGKILL as stop signal makes removal equal for all three. */
export const COMMAND = ['sleep', '3600'];
/** FLOOR_LABEL marks containers the floor benchmark made. */
export const FLOOR_LABEL = 'cluster-bench.floor';

/** docker is a client of the root engine. */
export const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });

/**
 * EngineEvents follows the engine's container events. wait() counts events
 * of one action whose container carries a label and resolves with the
 * engine's time (ms since the epoch) of the count-th one.
 */
export class EngineEvents {
  constructor() {
    this.waiters = new Set();
    this.stream = undefined;
  }

  async open() {
    this.stream = await docker.getEvents({ filters: { type: ['container'], event: ['start', 'destroy'] } });
    let buf = '';
    this.stream.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (line) this.dispatch(JSON.parse(line));
      }
    });
  }

  dispatch(e) {
    const attrs = e.Actor?.Attributes ?? {};
    const at = Number(e.timeNano) / 1e6;
    for (const w of this.waiters) {
      if (w.action !== e.Action || attrs[w.label[0]] !== w.label[1]) continue;
      w.seen++;
      if (w.seen >= w.count) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(at);
      }
    }
  }

  /** wait resolves with the time of the count-th `action` event of containers labelled key=value; register it before acting. */
  wait(action, [key, value], count, timeoutMs) {
    return new Promise((resolve, reject) => {
      const w = { action, label: [key, value], count, seen: 0, resolve, timer: undefined };
      w.timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`engine: ${w.seen} of ${count} ${action} events of ${key}=${value} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(w);
      if (count <= 0) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        resolve(Date.now());
      }
    });
  }

  close() {
    this.stream?.destroy();
    for (const w of this.waiters) clearTimeout(w.timer);
    this.waiters.clear();
  }
}

/** floorNetworkName is the user-defined bridge network of a floor group that runs on one (the floor on a stack network). */
export function floorNetworkName(group) {
  return `cluster-bench-floornet-${group}`;
}

/**
 * floorStart creates and starts `count` containers in parallel, labelled
 * FLOOR_LABEL=group: on the default bridge, or with `network` on that
 * user-defined bridge network (made by floorNetwork).
 */
export async function floorStart(group, count, from = 0, network = undefined) {
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const c = await docker.createContainer({
        name: `cluster-bench-floor-${group}-${from + i + 1}`,
        Image: IMAGE,
        Cmd: COMMAND,
        StopSignal: 'SIGKILL',
        Labels: { [FLOOR_LABEL]: group },
        ...(network ? { HostConfig: { NetworkMode: network } } : {}),
      });
      await c.start();
    }),
  );
}

/**
 * floorNetwork makes the group's user-defined bridge network, as Compose
 * does for a project's services to name each other and `cluster` for each
 * stack on a node, and returns its id.
 */
export async function floorNetwork(group) {
  const n = await docker.createNetwork({ Name: floorNetworkName(group), Driver: 'bridge', CheckDuplicate: true, Labels: { [FLOOR_LABEL]: group } });
  return n.id;
}

/** floorRemove force-removes every container of a floor group, in parallel, then the group's network if it has one. */
export async function floorRemove(group) {
  const list = await docker.listContainers({ all: true, filters: { label: [`${FLOOR_LABEL}=${group}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  await removeNetworks(`${FLOOR_LABEL}=${group}`);
}

/** removeAllFloor removes what any floor run left behind: containers, then networks. */
export async function removeAllFloor() {
  const list = await docker.listContainers({ all: true, filters: { label: [FLOOR_LABEL] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  await removeNetworks(FLOOR_LABEL);
}

/**
 * removeNetworks removes the networks with a label, trying a network again
 * for up to 2 s while the engine still counts endpoints of containers it has
 * just removed; a network left after that is named in the error.
 */
async function removeNetworks(label) {
  const nets = await docker.listNetworks({ filters: { label: [label] } });
  await Promise.all(nets.map(async (n) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await docker.getNetwork(n.Id).remove();
        return;
      } catch (err) {
        if (err?.statusCode === 404) return;
        if (attempt >= 10) throw new Error(`cannot remove network ${n.Name}: ${err?.message ?? err}`, { cause: err });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }));
}

/** dockerCli runs the docker CLI (optionally against another engine) and returns its output. */
export async function dockerCli(args, host) {
  const { stdout } = await run('docker', [...(host ? ['-H', host] : []), ...args], { timeout: 120000, maxBuffer: 16 << 20 });
  return stdout.trim();
}

/** swarmState is the engine's swarm state: inactive, active, pending, … */
export async function swarmState(host) {
  return dockerCli(['info', '--format', '{{.Swarm.LocalNodeState}}'], host);
}

/** SWARM_SERVICE_LABEL is the label Swarm puts on a service's containers. */
export const SWARM_SERVICE_LABEL = 'com.docker.swarm.service.name';

/** swarmCreate starts `docker service create` of a local image without waiting (the events time it). */
export function swarmCreate(name, replicas, host) {
  return dockerCli(['service', 'create', '--detach', '--no-resolve-image', '--name', name, '--replicas', String(replicas),
    '--stop-signal', 'SIGKILL', '--label', 'cluster-bench=1', IMAGE, ...COMMAND], host);
}

/** swarmRunning counts the service's tasks that `docker service ps` shows running. */
export async function swarmRunning(name, host) {
  const out = await dockerCli(['service', 'ps', name, '--filter', 'desired-state=running', '--format', '{{.CurrentState}}'], host);
  return out.split('\n').filter((l) => l.startsWith('Running')).length;
}

/** removeBenchServices removes every service the benchmarks made on a swarm. */
export async function removeBenchServices(host) {
  const ids = (await dockerCli(['service', 'ls', '-q', '--filter', 'label=cluster-bench=1'], host)).split('\n').filter(Boolean);
  if (ids.length > 0) await dockerCli(['service', 'rm', ...ids], host);
}

/** removeStacksByPrefix force-removes containers and networks of `cluster` stacks whose name starts with prefix. */
export async function removeStacksByPrefix(prefix) {
  const list = await docker.listContainers({ all: true, filters: { label: ['cluster.stack'] } });
  const mine = list.filter((c) => (c.Labels['cluster.stack'] ?? '').startsWith(prefix));
  await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  const nets = await docker.listNetworks({ filters: { label: ['cluster.stack'] } });
  for (const n of nets) {
    if ((n.Labels?.['cluster.stack'] ?? '').startsWith(prefix)) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  }
}
