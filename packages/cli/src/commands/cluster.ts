import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError, type Io } from '../io.js';
import { clusterHome, writeConfig } from '../config.js';
import { connectControl } from '../client.js';
import { alivePid, removeIfStale, sleep, startDaemon } from '../daemon.js';
import { durationMs } from './security.js';

/** InitOptions are the flags of `cluster init`. */
export interface InitOptions {
  listen: string;
  advertise?: string;
  dataDir?: string;
  name?: string;
  agent: boolean;
  dockerHost?: string;
  heartbeatMs?: string;
  downAfterMs?: string;
  engineGraceMs?: string;
  /** certTtl is the lifetime of node certificates, such as 24h. @default the manager's (24h) */
  certTtl?: string;
  /** maxMessageBytes bounds a gRPC message of the manager and the local agent. @default 64 MiB */
  maxMessageBytes?: string;
  /** pullTimeout bounds an image pull of the local agent, such as 5m. @default 20s */
  pullTimeout?: string;
}

/** init creates (or resumes) a cluster: runs the manager and, unless --no-agent, a local agent. */
export async function init(io: Io, o: InitOptions): Promise<void> {
  const dataDir = resolve(io.cwd, o.dataDir ?? join(clusterHome(io), 'data'));
  const managerDir = join(dataDir, 'manager');
  mkdirSync(managerDir, { recursive: true, mode: 0o700 });
  const readyFile = join(managerDir, 'manager.json');
  const running = alivePid(readyFile);
  let advertise: string;
  if (running) {
    advertise = (JSON.parse(readFileSync(readyFile, 'utf8')) as { advertise: string }).advertise;
    io.err(`a manager already runs for ${managerDir} (pid ${running}); using it\n`);
  } else {
    rmSync(readyFile, { force: true });
    const resumed = existsSync(join(managerDir, 'store.db'));
    const args = ['--data-dir', managerDir, '--listen', o.listen];
    if (o.advertise) args.push('--advertise', o.advertise);
    if (o.heartbeatMs) args.push('--heartbeat-ms', o.heartbeatMs);
    if (o.downAfterMs) args.push('--down-after-ms', o.downAfterMs);
    if (o.engineGraceMs) args.push('--engine-grace-ms', o.engineGraceMs);
    if (o.certTtl) args.push('--node-cert-ttl', String(durationMs('init --cert-ttl', o.certTtl)));
    if (o.maxMessageBytes) args.push('--max-message-bytes', o.maxMessageBytes);
    const d = await startDaemon({ which: 'manager', args, logFile: join(managerDir, 'manager.log'), ready: () => existsSync(readyFile), timeoutMs: 30000 });
    advertise = (JSON.parse(readFileSync(readyFile, 'utf8')) as { advertise: string }).advertise;
    io.err(`${resumed ? 'resumed the cluster in' : 'created a cluster in'} ${managerDir}; manager pid ${d.pid} on ${advertise}\n`);
  }
  const managerAddr = advertise.startsWith('0.0.0.0:') ? advertise.replace('0.0.0.0', '127.0.0.1') : advertise;
  writeConfig(io, managerAddr, join(managerDir, 'admin'));
  if (!o.agent) {
    io.out(`manager ready at ${managerAddr}\n`);
    return;
  }
  const control = connectControl(io);
  try {
    // The local agent's token is spent by its join and dies soon anyway: nothing
    // reusable is left in the agent's environment (a 24-hour manager token was).
    const { token } = await control.call('GetJoinToken', { role: 'manager', singleUse: true, ttlMs: LOCAL_AGENT_TOKEN_TTL_MS });
    const name = o.name ?? hostname();
    // The manager may be advertised by a DNS name; a node's address must be an IP address (the manager
    // refuses others), so the local agent then advertises the address it reaches the manager from.
    const nodeAddress = advertisedIp(o.advertise);
    await runAgent(io, { dataDir, manager: managerAddr, token, name, advertise: nodeAddress, dockerHost: o.dockerHost, labels: [], maxMessageBytes: o.maxMessageBytes, pullTimeout: o.pullTimeout });
    await waitNodeReady(control, name, 30000);
    io.out(`manager ready at ${managerAddr}; node ${name} is ready\n`);
  } finally {
    control.close();
  }
}

/** JoinOptions are the flags of `cluster join`. */
export interface JoinOptions {
  token: string;
  dataDir?: string;
  name?: string;
  advertise?: string;
  dockerHost?: string;
  label: string[];
  /** maxMessageBytes bounds a gRPC message of the agent. @default 64 MiB */
  maxMessageBytes?: string;
  /** pullTimeout bounds an image pull of the agent, such as 5m. @default 20s */
  pullTimeout?: string;
}

/** LOCAL_AGENT_TOKEN_TTL_MS is the lifetime of the single-use token `init` gives its local agent: 10 minutes. */
const LOCAL_AGENT_TOKEN_TTL_MS = 10 * 60 * 1000;

/** join runs an agent that joins the cluster at `manager` with a token. */
export async function join_(io: Io, manager: string, o: JoinOptions): Promise<void> {
  const dataDir = resolve(io.cwd, o.dataDir ?? join(clusterHome(io), 'data'));
  const name = o.name ?? hostname();
  if (o.advertise && advertisedIp(o.advertise) === undefined) throw new CliError(`join --advertise: "${o.advertise}" is not an IP address (the address other nodes reach this one at, such as 10.0.0.5)`);
  await runAgent(io, { dataDir, manager, token: o.token, name, advertise: o.advertise, dockerHost: o.dockerHost, labels: o.label, maxMessageBytes: o.maxMessageBytes, pullTimeout: o.pullTimeout });
  io.out(`node ${name} joined the cluster at ${manager}\n`);
}

interface AgentRun {
  dataDir: string;
  manager: string;
  token: string;
  name: string;
  advertise?: string;
  dockerHost?: string;
  labels: string[];
  maxMessageBytes?: string | undefined;
  pullTimeout?: string | undefined;
}

/** advertisedIp is the IP address in an --advertise value (`10.0.0.5`, `10.0.0.5:7700`, `fd00::5`), or undefined if it names none. */
function advertisedIp(advertise: string | undefined): string | undefined {
  if (!advertise) return undefined;
  if (isIP(advertise) !== 0) return advertise;
  const host = advertise.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return isIP(host) !== 0 ? host : undefined;
}

async function runAgent(io: Io, a: AgentRun): Promise<void> {
  const agentDir = join(a.dataDir, 'agent');
  mkdirSync(agentDir, { recursive: true, mode: 0o700 });
  const pidFile = join(agentDir, 'agent.pid');
  const running = alivePid(pidFile);
  if (running) {
    io.err(`an agent already runs for ${agentDir} (pid ${running}); using it\n`);
    return;
  }
  removeIfStale(pidFile);
  const statusFile = join(agentDir, 'status.json');
  rmSync(statusFile, { force: true });
  // The token goes through the environment: arguments are visible to every user of the host.
  const args = ['--data-dir', agentDir, '--manager', a.manager, '--name', a.name];
  const ip = advertisedIp(a.advertise);
  if (ip) args.push('--advertise', ip);
  if (a.dockerHost) args.push('--docker-host', a.dockerHost);
  for (const l of a.labels) args.push('--label', l);
  if (a.maxMessageBytes) args.push('--max-message-bytes', a.maxMessageBytes);
  if (a.pullTimeout) args.push('--pull-timeout-ms', String(durationMs('--pull-timeout', a.pullTimeout)));
  await startDaemon({
    which: 'agent',
    args,
    logFile: join(agentDir, 'agent.log'),
    env: { ...process.env, CLUSTER_JOIN_TOKEN: a.token },
    ready: () => {
      if (!existsSync(statusFile)) return false;
      try {
        return (JSON.parse(readFileSync(statusFile, 'utf8')) as { connected?: boolean }).connected === true;
      } catch {
        return false;
      }
    },
    timeoutMs: 30000,
  });
}

async function waitNodeReady(control: ReturnType<typeof connectControl>, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { nodes } = await control.call('ListNodes', {});
    if (nodes.some((n) => n.name === name && n.status === 'ready')) return;
    await sleep(100);
  }
  throw new CliError(`node ${name} did not become ready within ${timeoutMs / 1000}s`);
}
