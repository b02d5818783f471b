import { ClusterError, MAX_REPLICAS, decodeStackSpec, deployDiff, encodeServiceSpec, engineServiceName, resolveExternalFiles, redactSpec, type Service, type ServiceSpec, type Task } from '@cluster/core';
import type { ControlHandlers, Service as ApiService } from '@cluster/api';
import type { Store } from './store.js';
import { addVolumePurge, clearVolumePurge } from './volumePurges.js';
import type { ClusterIdentity } from './identity.js';
import { nodeToApi, taskToApi } from './convert.js';
import { unary } from './rpc.js';
import { externalContent } from './control-secrets.js';

/** ControlOptions are what the Control API works on. */
export interface ControlOptions {
  store: Store;
  identity: ClusterIdentity;
  kick: () => void;
  /** advertise is the `host:port` agents dial, put into join answers. */
  advertise: string;
  /** tokenTtlMs is the default lifetime of join tokens. @default 24 h */
  tokenTtlMs: number;
  now?: () => number;
  /** serviceError says why the orchestrator leaves a service out (Orchestrator.serviceError). @default none */
  serviceError?: (name: string) => string | undefined;
  /** onPurgeVolumes tells the connected nodes to delete a removed stack's volumes. @default nothing */
  onPurgeVolumes?: (stack: string) => void;
}

/** ControlStackHandlers are the Control RPCs about stacks, services, tasks and the node listing. */
export type ControlStackHandlers = Pick<ControlHandlers, 'DeployStack' | 'RemoveStack' | 'ScaleServices' | 'ListServices' | 'ListTasks' | 'ListNodes'>;

/** controlHandlers implements the Control service (wrap it with guardService). */
export function controlHandlers(o: ControlOptions): ControlStackHandlers {
  const now = o.now ?? Date.now;
  const { store } = o;
  return {
    DeployStack: unary((req) => {
      // Secrets and configs made in the cluster are copied into the specs that refer to them (sealed at rest with them).
      const { stack, missing } = resolveExternalFiles(decodeStackSpec(req.name, req.specJson), (kind, name) => externalContent(store, kind, name));
      if (missing.length > 0) {
        const what = missing.map((m) => `${m.path}: ${m.kind} "${m.name}" does not exist (cluster ${m.kind} create ${m.name} FILE)`).join('; ');
        throw new ClusterError('failed_precondition', `deploy: ${what}; nothing was deployed`);
      }
      const plan = deployDiff(stack, store.allServices(), now());
      if (!req.dryRun) {
        clearVolumePurge(store, stack.name);
        store.update({ putServices: plan.put, deleteServices: plan.remove });
        o.kick();
      }
      return { changes: plan.changes };
    }),
    RemoveStack: unary((req) => {
      const names = [...store.allServices(), ...store.invalidServices()].filter((s) => s.stack === req.name).map((s) => s.name);
      if (names.length === 0 && !req.volumes) throw new ClusterError('not_found', `rm: stack "${req.name}" not found (see: cluster services)`);
      if (req.volumes) {
        addVolumePurge(store, req.name);
        o.onPurgeVolumes?.(req.name);
      }
      store.update({ deleteServices: names });
      o.kick();
      return { services: names };
    }),
    ScaleServices: unary((req) => {
      const all = store.allServices();
      const resolved = req.targets.map((tg) => ({ service: resolveService(all, tg.service, req.stack), replicas: tg.replicas }));
      const t = now();
      const put: Service[] = [];
      for (const r of resolved) {
        if (r.service.spec.mode === 'global') throw new ClusterError('failed_precondition', `scale: ${r.service.name} is a global service; it runs one task per node and cannot be scaled`);
        if (!Number.isInteger(r.replicas) || r.replicas < 0 || r.replicas > MAX_REPLICAS) {
          throw new ClusterError('invalid_argument', `scale: invalid replica count ${r.replicas} for ${r.service.name} (0-${MAX_REPLICAS})`);
        }
        put.push({ ...r.service, spec: { ...r.service.spec, replicas: r.replicas }, updatedAt: t });
      }
      store.update({ putServices: put });
      o.kick();
      return { services: put.map((s) => serviceToApi(s, store.tasksOfService(s.name), o.serviceError?.(s.name))) };
    }),
    ListServices: unary((req) => {
      const services = store.allServices().filter((s) => !req.stack || s.stack === req.stack);
      // A service whose stored spec is invalid is listed with what is wrong, so that it can be seen and replaced or removed.
      const invalid = store.invalidServices().filter((s) => !req.stack || s.stack === req.stack);
      const listed = [
        ...services.map((s) => serviceToApi(s, store.tasksOfService(s.name), o.serviceError?.(s.name))),
        ...invalid.map((s) => ({ name: s.name, stack: s.stack, mode: '', replicas: 0, running: 0, image: '', specVersion: 0, specJson: encodeServiceSpec({} as ServiceSpec), desired: 0, converged: false, error: s.error, leftOut: true })),
      ];
      return { services: listed.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')) };
    }),
    ListTasks: unary((req) => {
      const f = req.filter;
      const services = store.allServices();
      let match: (t: Task) => boolean = () => true;
      if (f) {
        if (services.some((s) => s.stack === f) || store.allTasks().some((t) => t.stack === f)) match = (t) => t.stack === f;
        else {
          const s = resolveService(services, f, '');
          match = (t) => t.service === s.name;
        }
      }
      const from = parsePageToken(req.pageToken ?? '');
      const size = req.pageSize && req.pageSize > 0 ? Math.min(req.pageSize, MAX_TASK_PAGE) : MAX_TASK_PAGE;
      const names = new Map(store.allNodes().map((n) => [n.id, n.name]));
      const tasks = store.allTasks()
        .filter((t) => match(t) && (req.all || t.desiredState === 'running' || t.state !== 'shutdown'))
        .sort(compareTasks);
      const page = tasks.slice(from, from + size);
      const next = from + page.length < tasks.length ? String(from + page.length) : '';
      return { tasks: page.map((t) => taskToApi(t, '', names.get(t.nodeId) ?? '')), nextPageToken: next, total: tasks.length };
    }),
    ListNodes: unary(() => ({ nodes: store.allNodes().sort((a, b) => a.name.localeCompare(b.name)).map(nodeToApi) })),
  };
}

/** MAX_TASK_PAGE is the most tasks in one ListTasks answer (about 2 MB). */
const MAX_TASK_PAGE = 10_000;

/** compareTasks orders a listing: service, slot, node, newest first, then id (a total order, so pages do not overlap). */
function compareTasks(a: Task, b: Task): number {
  // Plain code-unit comparison: names are ASCII, and localeCompare costs seconds over 200,000 tasks.
  if (a.service !== b.service) return a.service < b.service ? -1 : 1;
  if (a.slot !== b.slot) return a.slot - b.slot;
  if (a.nodeId !== b.nodeId) return a.nodeId < b.nodeId ? -1 : 1;
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** parsePageToken reads a ListTasks page token: the position of the page's first task. */
function parsePageToken(token: string): number {
  if (token === '') return 0;
  if (!/^\d{1,9}$/.test(token)) throw new ClusterError('invalid_argument', `ps: invalid page token "${token.slice(0, 20)}"`);
  return Number(token);
}

/** serviceToApi summarizes a service and its tasks for listings; left is why the orchestrator leaves it out, if it does. */
export function serviceToApi(s: Service, tasks: Task[], left?: string): ApiService {
  // One pass over the tasks (a service may have tens of thousands; `cluster deploy` polls this).
  let mine = 0;
  let current = 0;
  let running = 0;
  let runningWithError = 0;
  let withError: Task | undefined;
  for (const t of tasks) {
    if (t.service !== s.name) continue;
    const isCurrent = t.specVersion === s.specVersion;
    // The most recently updated error of the current spec, the first of equals.
    if (isCurrent && t.error && (withError === undefined || t.updatedAt > withError.updatedAt)) withError = t;
    if (t.desiredState !== 'running') continue;
    mine++;
    if (!isCurrent) continue;
    current++;
    if (t.state === 'running') running++;
    // A task that runs with an error (a published port its node cannot bind) does not serve as asked.
    if (t.state === 'running' && t.error !== '') runningWithError++;
  }
  const desired = s.spec.mode === 'global' ? current : s.spec.replicas;
  const stale = mine - current;
  const converged = left === undefined && running === desired && current === desired && stale === 0 && runningWithError === 0;
  return {
    name: s.name,
    stack: s.stack,
    mode: s.spec.mode,
    replicas: s.spec.mode === 'global' ? desired : s.spec.replicas,
    running,
    image: s.spec.image,
    specVersion: s.specVersion,
    // Secrets and configs travel only in assignments to the task's node, never in listings.
    specJson: encodeServiceSpec(redactSpec(s.spec)),
    desired,
    converged,
    error: left ?? (converged ? '' : withError?.error ?? ''),
    leftOut: left !== undefined,
  };
}

/**
 * resolveService finds a service by its full name (`stack_web`) or its short
 * name (`web`, in `stack` when given), also as written in the Compose file
 * when it runs under a mapped name (`Web` runs as `web`: engineServiceName).
 */
export function resolveService(all: Service[], name: string, stack: string): Service {
  const exact = all.find((s) => s.name === name);
  if (exact) return exact;
  const mapped = engineServiceName(name);
  const short = all.filter((s) => (s.spec.name === name || s.spec.name === mapped) && (!stack || s.stack === stack));
  if (short.length === 1) return short[0]!;
  if (short.length > 1) {
    throw new ClusterError('invalid_argument', `service "${name}" is ambiguous: ${short.map((s) => s.name).join(', ')}; name it as stack_service`);
  }
  throw new ClusterError('not_found', `service "${name}" not found${stack ? ` in stack "${stack}"` : ''} (see: cluster services)`);
}
