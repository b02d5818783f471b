/**
 * The deploy diff: what a new spec of a stack changes in the stored services.
 * Pure, beside the reconciler: the manager's DeployStack handler stores what
 * it returns.
 */
import { dependentsToRestart } from './dependencies.js';
import { ClusterError } from './errors.js';
import { fullServiceName, type Service, type ServiceSpec, type StackSpec } from './model.js';

/** DeployAction is what a deploy does to one service. */
export type DeployAction = 'create' | 'update' | 'scale' | 'restart' | 'unchanged' | 'remove';

/** DeployChange is one service's line of a deploy. */
export interface DeployChange {
  /** service is the full name, `stack_service`. */
  service: string;
  action: DeployAction;
  /** specVersion is the service's spec version after the deploy (the last one for a removed service). */
  specVersion: number;
}

/** DeployPlan is a deploy as data: the services to store, the names to delete, one change per service. */
export interface DeployPlan {
  put: Service[];
  remove: string[];
  changes: DeployChange[];
}

/**
 * deployDiff compares a stack's new spec with its stored services (`stored`:
 * every service of the cluster, those of other stacks only to check
 * published ports) at time `now`. A service with a new spec gets the next
 * spec version (its tasks are replaced); one whose spec differs only in
 * replicas is scaled and keeps its version; one missing from the spec is
 * removed; a dependent with `depends_on: {restart: true}` of a created or
 * updated service is restarted (next spec version, same spec). Throws a
 * failed_precondition ClusterError when a published port is another
 * service's already.
 */
export function deployDiff(stack: StackSpec, stored: readonly Service[], now: number): DeployPlan {
  checkPublishedPorts(stored, stack);
  const mine = new Map(stored.filter((s) => s.stack === stack.name).map((s) => [s.name, s]));
  const left = new Map(mine);
  const changes: DeployChange[] = [];
  const put: Service[] = [];
  for (const spec of Object.values(stack.services)) {
    const name = fullServiceName(stack.name, spec.name);
    const old = left.get(name);
    left.delete(name);
    if (!old) {
      put.push({ name, stack: stack.name, spec, specVersion: 1, createdAt: now, updatedAt: now });
      changes.push({ service: name, action: 'create', specVersion: 1 });
    } else if (sameSpec(old.spec, spec)) {
      const scaled = old.spec.replicas !== spec.replicas;
      // New registry credentials (a new docker login) are kept for the next pulls without replacing running tasks.
      if (scaled || JSON.stringify(old.spec.pullAuth) !== JSON.stringify(spec.pullAuth)) put.push({ ...old, spec, updatedAt: now });
      changes.push({ service: name, action: scaled ? 'scale' : 'unchanged', specVersion: old.specVersion });
    } else {
      put.push({ ...old, spec, specVersion: old.specVersion + 1, updatedAt: now });
      changes.push({ service: name, action: 'update', specVersion: old.specVersion + 1 });
    }
  }
  // depends_on with restart: true restarts the dependents of an updated service (a new spec version replaces their tasks).
  const updated = changes.filter((c) => c.action === 'update' || c.action === 'create').map((c) => c.service.slice(stack.name.length + 1));
  for (const short of dependentsToRestart(stack.services, updated)) {
    const name = fullServiceName(stack.name, short);
    const old = mine.get(name);
    if (!old) continue;
    const i = put.findIndex((p) => p.name === name);
    const restarted: Service = { ...(i >= 0 ? put[i]! : old), specVersion: old.specVersion + 1, updatedAt: now };
    if (i >= 0) put[i] = restarted;
    else put.push(restarted);
    const change = changes.find((c) => c.service === name);
    if (change) Object.assign(change, { action: 'restart', specVersion: restarted.specVersion });
  }
  for (const old of left.values()) changes.push({ service: old.name, action: 'remove', specVersion: old.specVersion });
  return { put, remove: [...left.keys()], changes };
}

/** sameSpec tells whether two specs run the same containers: they differ at most in replicas and registry credentials. */
function sameSpec(a: ServiceSpec, b: ServiceSpec): boolean {
  return JSON.stringify({ ...a, replicas: 0, pullAuth: undefined }) === JSON.stringify({ ...b, replicas: 0, pullAuth: undefined });
}

/** checkPublishedPorts refuses a stack that publishes a port another service (of any stack) publishes. */
function checkPublishedPorts(all: readonly Service[], stack: StackSpec): void {
  const taken = new Map<string, string>();
  for (const s of all) {
    if (s.stack === stack.name) continue;
    for (const p of s.spec.ports) if (p.published > 0) taken.set(`${p.published}/${p.protocol}`, s.name);
  }
  const mine = new Map<string, string>();
  for (const s of Object.values(stack.services)) {
    for (const p of s.ports) {
      if (p.published <= 0) continue;
      const key = `${p.published}/${p.protocol}`;
      const owner = taken.get(key) ?? mine.get(key);
      // The routing mesh listens on every node, so a published port belongs to one service of the whole cluster.
      if (owner) throw new ClusterError('failed_precondition', `deploy: services.${s.name}.ports: published port ${key} is already used by service ${owner}${taken.has(key) ? ` of stack ${owner.split('_')[0]}` : ''}; two stacks cannot publish the same port`);
      mine.set(key, fullServiceName(stack.name, s.name));
    }
  }
}
