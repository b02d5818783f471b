import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dockerExecutor, dockerFromHost } from './docker/adapter.js';
import { engineInfo } from './docker/info.js';
import { joinCluster } from './join.js';
import { VolumePurger } from './volumePurger.js';
import { Session } from './session.js';
import { CertificateRenewer } from './renewal.js';
import { caUpdateHandler } from './ca-update.js';
import { Worker } from './worker.js';
import { PortProblems } from './portProblems.js';
import { EngineMonitor } from './engineMonitor.js';
import { within, withDeadlines } from './deadlines.js';
import { DEFAULT_MAX_MESSAGE_BYTES, DNS_ADDRESS } from '@cluster/core';
import { addressOwners, bridgeSubnets, overlayNetworks, stackSubnets, taskAddresses } from './docker/networks.js';
import { Overlay } from './mesh/overlay.js';
import { Firewall } from './mesh/firewall.js';
import { KernelPath, type KernelListener } from './mesh/kernelPath.js';
import { Mesh } from './mesh/mesh.js';
import { LocalAddresses } from './mesh/netif.js';
import { RecordedAddresses } from './mesh/recordedAddresses.js';
import { RegistryView } from './mesh/view.js';
import { DataDirCheck } from './dataDirCheck.js';

/** NodeState is what an agent keeps in its data dir besides its key and certificates. */
interface NodeState {
  nodeId: string;
  manager: string;
  name: string;
  advertise: string;
}

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} info agent: ${msg}\n`);
}

/**
 * The agent daemon: `node main.js --data-dir DIR --manager HOST:PORT
 * [--token T] [--name N] [--advertise ADDR] [--docker-host URL] [--label k=v]…
 * [--engine-timeout-ms N] [--engine-check-ms N] [--max-message-bytes N] [--pull-timeout-ms N]`
 * (the gRPC message bound, 64 MiB by default).
 * The first start joins with the token; later starts reuse DIR's credentials.
 * --engine-timeout-ms bounds every engine call (default 10000; a stop gets
 * the container's grace on top); --engine-check-ms is how often the engine
 * is pinged to tell whether it answers (default 1000); --data-check-ms is
 * how often a write to DIR is tried, to tell the manager whether DIR takes
 * writes (default 5000); --pull-timeout-ms bounds an image pull (default
 * 20000).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      manager: { type: 'string' },
      token: { type: 'string' },
      name: { type: 'string' },
      advertise: { type: 'string', default: '' },
      'docker-host': { type: 'string' },
      label: { type: 'string', multiple: true, default: [] },
      'no-mesh': { type: 'boolean', default: false },
      'engine-timeout-ms': { type: 'string', default: '10000' },
      'engine-check-ms': { type: 'string', default: '1000' },
      'max-message-bytes': { type: 'string', default: String(DEFAULT_MAX_MESSAGE_BYTES) },
      'overlay-port': { type: 'string', default: '4789' },
      'overlay-mtu': { type: 'string', default: '1450' },
      'data-check-ms': { type: 'string', default: '5000' },
      'pull-timeout-ms': { type: 'string', default: '20000' },
    },
  });
  // The log is a file in the data dir: a line a full disk refuses is lost, the agent carries on.
  process.stderr.on('error', () => undefined);
  const dataCheckMs = Number(values['data-check-ms']);
  if (!Number.isSafeInteger(dataCheckMs) || dataCheckMs < 100) throw new Error(`agent: invalid --data-check-ms "${values['data-check-ms']}" (milliseconds, >= 100)`);
  const engineTimeoutMs = Number(values['engine-timeout-ms']);
  if (!Number.isSafeInteger(engineTimeoutMs) || engineTimeoutMs < 100) throw new Error(`agent: invalid --engine-timeout-ms "${values['engine-timeout-ms']}" (milliseconds, >= 100)`);
  const pullTimeoutMs = Number(values['pull-timeout-ms']);
  if (!Number.isSafeInteger(pullTimeoutMs) || pullTimeoutMs < 100) throw new Error(`agent: invalid --pull-timeout-ms "${values['pull-timeout-ms']}" (milliseconds, >= 100)`);
  const engineCheckMs = Number(values['engine-check-ms']);
  if (!Number.isSafeInteger(engineCheckMs) || engineCheckMs < 50) throw new Error(`agent: invalid --engine-check-ms "${values['engine-check-ms']}" (milliseconds, >= 50)`);
  const maxMessageBytes = Number(values['max-message-bytes']);
  if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes < 1024 * 1024) throw new Error(`agent: invalid --max-message-bytes "${values['max-message-bytes']}" (bytes, at least 1048576)`);
  const dataDir = values['data-dir'];
  if (!dataDir) throw new Error('agent: --data-dir is required');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stateFile = join(dataDir, 'node.json');
  const docker = dockerFromHost(values['docker-host']);
  const engine = await within('ask for the version', engineTimeoutMs, () => engineInfo(docker)).catch((err: unknown) => {
    throw new Error(`agent: the Docker engine at ${values['docker-host'] ?? 'unix:///var/run/docker.sock'} does not answer: ${err instanceof Error ? err.message : String(err)}`);
  });
  let state: NodeState;
  if (existsSync(stateFile)) {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as NodeState;
    if (values.manager) state.manager = values.manager;
    if (values.advertise) state.advertise = values.advertise;
  } else {
    // The token may come from the environment, which other users of the host cannot read in the process list.
    values.token ??= process.env.CLUSTER_JOIN_TOKEN;
    if (!values.token || !values.manager) throw new Error('agent: not a member yet; --token and --manager are required to join');
    const labels: Record<string, string> = {};
    for (const l of values.label ?? []) {
      const i = l.indexOf('=');
      if (i <= 0) throw new Error(`agent: invalid --label "${l}" (k=v)`);
      labels[l.slice(0, i)] = l.slice(i + 1);
    }
    const name = values.name || hostname();
    const creds = await joinCluster({ manager: values.manager, token: values.token, name, hostname: hostname(), advertise: values.advertise ?? '', labels });
    writeFileSync(join(dataDir, 'ca.crt'), creds.caPem);
    writeFileSync(join(dataDir, 'node.crt'), creds.certPem);
    writeFileSync(join(dataDir, 'node.key'), creds.keyPem, { mode: 0o600 });
    state = { nodeId: creds.nodeId, manager: values.manager, name, advertise: values.advertise || creds.localAddress };
    writeFileSync(stateFile, JSON.stringify(state, null, 2) + '\n');
    log(`joined as node ${name} (${creds.nodeId}, ${creds.role})`);
  }
  // The mesh (DNS, service proxies, routing mesh) needs root in the host's network namespace; --no-mesh turns it off.
  const view = new RegistryView({ log });
  const publishAddresses = [...new Set([state.advertise || '0.0.0.0', '127.0.0.1'])];
  // Connections to replicas of this node are DNATed in the kernel; the userspace listeners serve the others.
  const kernel = values['no-mesh'] ? undefined : new KernelPath({ nodeId: state.nodeId, locals: () => taskAddresses(docker), subnets: () => stackSubnets(docker), bridges: () => bridgeSubnets(docker), publishAddresses, log });
  // What an earlier agent of this data dir left on lo (killed, it could not clean up) goes first.
  const loopback = values['no-mesh'] ? undefined : new RecordedAddresses(new LocalAddresses(), join(dataDir, 'loopback.json'), log);
  await loopback?.removeLeftovers();
  // Told by the mesh (registry updates come once the session runs, after the worker exists).
  const portProblems = new PortProblems((taskId) => worker.serviceOf(taskId));
  const mesh = !loopback
    ? undefined
    : new Mesh({
        addresses: loopback,
        view,
        stackSubnets: () => stackSubnets(docker),
        owners: () => addressOwners(docker),
        publishAddresses,
        ...(kernel ? { kernelSkips: (l: KernelListener, source: string) => kernel.skips(l, source) } : {}),
        // A published port another process holds is an error of this node's tasks of that service, reported again as it appears or goes.
        onPublishProblems: (problems) => {
          const changed = portProblems.set(problems);
          const again = worker.observations().filter((o) => o.state === 'running' && changed.has(worker.serviceOf(o.taskId) ?? ''));
          if (again.length > 0) session.report(portProblems.decorate(again));
        },
        log,
      });
  await mesh?.start();
  // Every network of a stack spans the nodes that run its tasks (VXLAN); off with --no-mesh.
  const overlayPort = Number(values['overlay-port']);
  const overlayMtu = Number(values['overlay-mtu']);
  if (!Number.isInteger(overlayPort) || overlayPort < 1 || overlayPort > 65535) throw new Error(`agent: invalid --overlay-port "${values['overlay-port']}" (1-65535)`);
  if (!Number.isInteger(overlayMtu) || overlayMtu < 576 || overlayMtu > 9000) throw new Error(`agent: invalid --overlay-mtu "${values['overlay-mtu']}" (576-9000)`);
  let overlayIndex = 0;
  const overlay = mesh
    ? new Overlay({
        nodeId: state.nodeId,
        self: state.advertise,
        port: overlayPort,
        mtu: overlayMtu,
        networks: () => overlayNetworks(docker),
        view: () => ({ entries: view.all(), peers: view.peers.values(), nodeAddresses: view.nodeAddresses }),
        log,
      })
    : undefined;
  await overlay?.start();
  // Containers may not reach task host ports straight: only the mesh (host traffic) does.
  const firewall = mesh ? new Firewall({ nodeId: state.nodeId, log, ...(kernel ? { kernel: (entries) => kernel.rules(entries) } : {}), ...(overlay ? { overlay: overlay.vipChain } : {}) }) : undefined;
  await firewall?.start();
  const rebuild = (): void => {
    void kernel?.refresh().then(() => firewall?.update(view.all()));
    void overlay?.refresh();
  };
  if (firewall) view.onChange(rebuild);
  // Engine health is node health: a broken event stream is checked at once, and the engine is pinged on a period.
  const monitor: EngineMonitor = new EngineMonitor({
    ping: () => docker.ping(),
    intervalMs: engineCheckMs,
    timeoutMs: engineTimeoutMs,
    log,
    onChange: (error) => {
      session.engine(error);
      // Back: what failed while it was away (stops of tasks moved elsewhere) is done now.
      if (!error) worker.resync().catch((err: unknown) => log(`engine: reconciling after the engine came back failed: ${String(err)}`));
    },
  });
  const executor = withDeadlines(dockerExecutor(docker, {
    nodeId: state.nodeId,
    onEventsBroken: () => void monitor.check(),
    filesDir: join(dataDir, 'files'),
    // Images built by `cluster deploy` come from the manager over the node's authenticated channel.
    imageSource: (name) => session.fetchImage(name),
    ...(mesh ? { dns: [DNS_ADDRESS] } : { routingMesh: false }),
    ...(overlay ? { overlay: { index: () => overlayIndex, mtu: overlayMtu, warn: log } } : {}),
    pullTimeoutMs,
    // Making an image present may take the whole pull timeout, and a load from the manager besides.
  }), { callMs: engineTimeoutMs, imageMs: Math.max(300_000, pullTimeoutMs + 60_000) });
  const volumes = new VolumePurger({ remove: (stack) => executor.removeStackVolumes?.(stack) ?? Promise.resolve(0), log });
  const worker = new Worker({
    executor,
    nodeId: state.nodeId,
    onStatus: (b) => {
      session.report(portProblems.decorate(b));
      void firewall?.observe(b);
      // A local task that stops or dies leaves the kernel path at once (the registry follows later).
      rebuild();
    },
    // Other nodes drop a stopping task from their proxies before it stops taking connections.
    drainMs: mesh ? 500 : 0,
  });
  await worker.start();
  const session: Session = new Session({
    manager: state.manager,
    caPem: readFileSync(join(dataDir, 'ca.crt'), 'utf8'),
    certPem: readFileSync(join(dataDir, 'node.crt'), 'utf8'),
    keyPem: readFileSync(join(dataDir, 'node.key'), 'utf8'),
    worker,
    maxMessageBytes,
    hello: () => ({ hostname: hostname(), advertiseAddress: state.advertise, engineVersion: engine.version, nanoCpus: engine.nanoCpus, memoryBytes: engine.memoryBytes }),
    log,
    onRegistry: (u) => view.apply(u),
    onOverlayIndex: (k) => {
      overlayIndex = k;
    },
    // A new cluster CA: trust its bundle (saved as ca.crt) and renew at once.
    onCaUpdate: (u) => caUpdateHandler({ caFile: join(dataDir, 'ca.crt'), session, renewer, log })(u),
    volumes,
    onState: (st) => {
      // Renamed into place whole: `cluster init` and tests read it while the agent runs.
      try {
        writeFileSync(join(dataDir, 'status.json.tmp'), JSON.stringify({ ...st, pid: process.pid, at: new Date().toISOString() }) + '\n');
        renameSync(join(dataDir, 'status.json.tmp'), join(dataDir, 'status.json'));
      } catch (err) {
        dataDirCheck.failed('status.json', err);
      }
    },
  });
  // Whether the data dir takes writes is told to the manager (cluster nodes shows it); the tasks run on.
  const dataDirCheck = new DataDirCheck({ dir: dataDir, intervalMs: dataCheckMs, log, onChange: (error) => session.dataDir(error) });
  dataDirCheck.start();
  session.start();
  monitor.start();
  const renewer = new CertificateRenewer({
    manager: state.manager,
    caPem: readFileSync(join(dataDir, 'ca.crt'), 'utf8'),
    current: { certPem: readFileSync(join(dataDir, 'node.crt'), 'utf8'), keyPem: readFileSync(join(dataDir, 'node.key'), 'utf8') },
    save: (c) => {
      // Each file is replaced whole (write, then rename): never half a PEM on disk.
      writeFileSync(join(dataDir, 'node.key.new'), c.keyPem, { mode: 0o600 });
      writeFileSync(join(dataDir, 'node.crt.new'), c.certPem);
      renameSync(join(dataDir, 'node.key.new'), join(dataDir, 'node.key'));
      renameSync(join(dataDir, 'node.crt.new'), join(dataDir, 'node.crt'));
    },
    onRenewed: (c) => {
      session.useCertificate(c.certPem, c.keyPem);
      log('renewal: new node certificate saved; used for new connections');
    },
    log,
  });
  renewer.start();
  writeFileSync(join(dataDir, 'agent.pid'), `${process.pid}\n`);
  log(`node ${state.name} (${state.nodeId}) started; manager ${state.manager}`);
  const shutdown = (): void => {
    dataDirCheck.stop();
    renewer.stop();
    monitor.stop();
    session.stop();
    Promise.all([worker.stop(), mesh?.stop(), firewall?.stop(), overlay?.stop()]).finally(() => { process.exitCode = 0; });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
